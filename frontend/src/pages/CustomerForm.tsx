import PhotoIcon from "@heroicons/react/24/outline/PhotoIcon";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useLocation, useNavigate, useParams } from "../lib/routing";
import { ApiError, api, call, type CustomerRow } from "../api/client";
import Avatar from "../components/Avatar";
import Breadcrumbs from "../components/Breadcrumbs";
import FieldMessage from "../components/FieldMessage";
import FormFooter from "../components/FormFooter";
import { useQuery } from "../lib/hooks";
import { sendFile } from "../lib/upload";
import Title from "../components/Title";
import { CustomerNotFound } from "../components/NotFoundScreen";

type Field = "name" | "email" | "avatar";
type Errors = Partial<Record<Field, string>>;

const MAX_AVATAR_BYTES = 1024 * 1024;
const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MESSAGES: Record<Field, string> = {
  name: "Please enter a name (1 to 255 characters).",
  email: "Please enter a valid email address.",
  avatar: "Please choose a PNG, JPEG or WebP image of at most 1 MB.",
};

export function CreateCustomer() {
  return (
    <main>
      <Title>Create Customer · Acme</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Customers", href: "/dashboard/customers" },
          { label: "Create Customer", href: "/dashboard/customers/create", active: true },
        ]}
      />
      <CustomerForm />
    </main>
  );
}

export function EditCustomer() {
  const { id = "" } = useParams();
  const location = useLocation();
  const avatarError = (location.state as { avatarError?: string } | null)?.avatarError;
  const { data, error } = useQuery({ key: `customer-edit:${id}`, load: (signal) =>
    call(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } }, signal })).then(({ data, response }) => ({
      customer: data,
      etag: response.headers.get("ETag"),
    })) });
  if (error?.status === 404) return <CustomerNotFound />;
  if (error) throw error;
  return (
    <main>
      <Title>{data ? `Edit ${data.customer.name} · Acme` : "Edit Customer · Acme"}</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Customers", href: "/dashboard/customers" },
          { label: data?.customer.name ?? "Customer", href: `/dashboard/customers/${id}` },
          { label: "Edit", href: `/dashboard/customers/${id}/edit`, active: true },
        ]}
      />
      {data ? (
        <CustomerForm key={data.customer.id} customer={data.customer} etag={data.etag} initialAvatarError={avatarError} />
      ) : (
        <div aria-busy="true" aria-label="Loading customer" className="h-[320px] rounded-md bg-gray-50" />
      )}
    </main>
  );
}

function CustomerForm({ customer, etag, initialAvatarError }: { customer?: CustomerRow; etag?: string | null; initialAvatarError?: string }) {
  const navigate = useNavigate();
  const [name, setName] = useState(customer?.name ?? "");
  const [email, setEmail] = useState(customer?.email ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>(initialAvatarError ? { avatar: initialAvatarError } : {});
  const [message, setMessage] = useState("");
  const [saving, setSaving] = useState(false);
  const refs = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), avatar: useRef<HTMLInputElement>(null) };
  const verb = customer ? "Update" : "Create";

  // A data: URL, since the page's Content-Security-Policy allows no blob: images.
  useEffect(() => {
    setPreview(null);
    if (!file || !AVATAR_TYPES.includes(file.type) || file.size > MAX_AVATAR_BYTES) return;
    const reader = new FileReader();
    reader.onload = () => setPreview(typeof reader.result === "string" ? reader.result : null);
    reader.readAsDataURL(file);
    return () => reader.abort();
  }, [file]);

  function show(found: Errors, formMessage = "") {
    setErrors(found);
    setMessage(formMessage);
    const first = (["name", "email", "avatar"] as const).find((field) => found[field]);
    if (first) refs[first].current?.focus();
  }

  function chooseFile(chosen: File | null) {
    setFile(chosen);
    const rest = { ...errors };
    delete rest.avatar;
    if (chosen && (!AVATAR_TYPES.includes(chosen.type) || chosen.size > MAX_AVATAR_BYTES)) rest.avatar = MESSAGES.avatar;
    setErrors(rest);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    const trimmedName = name.trim();
    const trimmedEmail = email.trim();
    if (!trimmedName || trimmedName.length > 255) found.name = MESSAGES.name;
    if (!EMAIL.test(trimmedEmail) || trimmedEmail.length > 255) found.email = MESSAGES.email;
    if (file && (!AVATAR_TYPES.includes(file.type) || file.size > MAX_AVATAR_BYTES)) found.avatar = MESSAGES.avatar;
    if (Object.keys(found).length) {
      show(found, `Missing Fields. Failed to ${verb} Customer.`);
      return;
    }
    show({});
    setSaving(true);
    let id = customer?.id;
    try {
      if (customer) {
        await call(
          api.PUT("/api/customers/{customer_id}", {
            params: { path: { customer_id: customer.id } },
            body: { name: trimmedName, email: trimmedEmail, imageUrl: customer.imageUrl },
            headers: etag ? { "If-Match": etag } : {},
          }),
        );
      } else {
        id = (await call(api.POST("/api/customers", { body: { name: trimmedName, email: trimmedEmail } }))).data.id;
      }
    } catch (err) {
      setSaving(false);
      const apiError = err instanceof ApiError ? err : new ApiError(0, "");
      if (apiError.status === 409) show({ email: apiError.message });
      else if (apiError.status === 400) {
        const fromServer: Errors = {};
        for (const e of apiError.errors) if (e.field === "name" || e.field === "email") fromServer[e.field] = e.message;
        show(fromServer, `Missing Fields. Failed to ${verb} Customer.`);
      } else if (apiError.status === 412) setMessage("This customer was changed by someone else. Reload to see the latest version.");
      else if (apiError.status === 404) setMessage("This customer no longer exists.");
      else if (apiError.status !== 401) setMessage(`Database Error: Failed to ${verb} Customer.`);
      return;
    }
    if (file && id) {
      const avatarError = await uploadAvatar(id, file);
      if (avatarError) {
        setSaving(false);
        if (customer) show({ avatar: avatarError });
        else navigate(`/dashboard/customers/${id}/edit`, { state: { avatarError } });
        return;
      }
    }
    navigate(`/dashboard/customers/${id ?? ""}`);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={customer ? "Edit customer" : "Create customer"}>
      <div className="rounded-md bg-gray-50 p-4 md:p-6">
        <TextField id="name" label="Name" value={name} onChange={setName} error={errors.name} inputRef={refs.name} autoComplete="off" />
        <TextField id="email" label="Email" type="email" value={email} onChange={setEmail} error={errors.email} inputRef={refs.email} autoComplete="off" />
        <div className="mb-2">
          <label htmlFor="avatar" className="mb-2 block text-sm font-medium">
            Picture <span className="font-normal text-gray-500">(PNG, JPEG or WebP, at most 1 MB; shown as a square)</span>
          </label>
          <div className="flex min-w-0 items-center gap-4">
            {preview ? (
              <img src={preview} alt="" className="h-16 w-16 shrink-0 rounded-full object-cover" data-testid="avatar-preview" />
            ) : customer ? (
              <Avatar name={customer.name} imageUrl={customer.imageUrl} size={32} className="!h-16 !w-16" />
            ) : (
              <PhotoIcon className="h-16 w-16 shrink-0 text-gray-300" aria-hidden="true" />
            )}
            <input
              ref={refs.avatar}
              id="avatar"
              name="avatar"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              onChange={(event) => chooseFile(event.target.files?.[0] ?? null)}
              aria-invalid={errors.avatar ? true : undefined}
              aria-describedby="avatar-error"
              className="block w-full min-w-0 text-sm file:mr-4 file:rounded-md file:border-0 file:bg-blue-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-blue-700 hover:file:bg-blue-100"
            />
          </div>
          <FieldMessage id="avatar-error" message={errors.avatar} />
        </div>
        <div aria-live="polite" aria-atomic="true">
          {message ? (
            <p className="mt-2 text-sm text-red-600" role="alert" data-testid="form-message">
              {message}
            </p>
          ) : null}
        </div>
      </div>
      <FormFooter
        cancelTo={customer ? `/dashboard/customers/${customer.id}` : "/dashboard/customers"}
        submitLabel={customer ? "Save Customer" : "Create Customer"}
        saving={saving}
      />
    </form>
  );
}

async function uploadAvatar(id: string, file: File): Promise<string | null> {
  try {
    const { status, body } = await sendFile<{ errors?: { field: string; message: string }[] }>(
      "PUT",
      `/api/customers/${encodeURIComponent(id)}/avatar`,
      file,
      file.type,
    );
    if (status === 200) return null;
    return body.errors?.find((e) => e.field === "avatar")?.message ?? MESSAGES.avatar;
  } catch (err) {
    return err instanceof ApiError && err.status !== 0 && err.status < 500 ? err.message : "Database Error: Failed to save the picture.";
  }
}

function TextField({
  id,
  label,
  value,
  onChange,
  error,
  inputRef,
  type = "text",
  autoComplete,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  inputRef: React.RefObject<HTMLInputElement | null>;
  type?: string;
  autoComplete?: string;
}) {
  return (
    <div className="mb-4">
      <label htmlFor={id} className="mb-2 block text-sm font-medium">
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        name={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-error`}
        className={`block w-full rounded-md border px-3 py-2 text-sm focus:outline-2 focus:-outline-offset-1 focus:outline-blue-500 placeholder:text-gray-500 ${
          error ? "border-red-500" : "border-gray-200"
        }`}
      />
      <FieldMessage id={`${id}-error`} message={error} />
    </div>
  );
}

