import GlobeAltIcon from "@heroicons/react/24/outline/GlobeAltIcon";

export default function AcmeLogo() {
  return (
    <div className="flex flex-row items-center font-serif leading-none text-white">
      <GlobeAltIcon className="h-12 w-12 shrink-0 rotate-[15deg]" aria-hidden="true" />
      <p className="text-[44px]">Acme</p>
    </div>
  );
}
