import ArrowRightIcon from "@heroicons/react/24/outline/ArrowRightIcon";
import AtSymbolIcon from "@heroicons/react/24/outline/AtSymbolIcon";
import ExclamationCircleIcon from "@heroicons/react/24/outline/ExclamationCircleIcon";
import KeyIcon from "@heroicons/react/24/outline/KeyIcon";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "../lib/routing";
import { ApiError, api, call, hasSession } from "../api/client";
import AcmeLogo from "../components/AcmeLogo";
import { Button } from "../components/Button";
import { safeCallbackUrl } from "../lib/url";
import Title from "../components/Title";

type Errors = { email?: string; password?: string };

export default function Login() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const target = safeCallbackUrl(searchParams.get("callbackUrl"));
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState("");
  const [pending, setPending] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Someone who is already logged in has nothing to do here.
  useEffect(() => {
    if (!hasSession()) return;
    const controller = new AbortController();
    api.GET("/api/auth/me", { signal: controller.signal }).then(
      ({ response }) => {
        if (response.ok) navigate(target, { replace: true });
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [navigate, target]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const found: Errors = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) found.email = "Please enter a valid email address.";
    if (password.length < 6) found.password = "Password must be at least 6 characters.";
    setErrors(found);
    setMessage("");
    if (found.email || found.password) {
      (found.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    setPending(true);
    try {
      await call(api.POST("/api/auth/login", { body: { email, password } }));
      navigate(target, { replace: true });
    } catch (err) {
      setPending(false);
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Something went wrong.");
      if (apiError.status === 401) {
        setMessage("Invalid credentials.");
      } else if (apiError.status === 400 || apiError.status === 422) {
        const fromServer: Errors = {};
        for (const e of apiError.errors) {
          if (e.field === "email" || e.field === "password") fromServer[e.field] = e.message;
        }
        setErrors(fromServer);
        setMessage(apiError.errors.length ? "" : apiError.message);
      } else if (apiError.status === 429) {
        setMessage(apiError.message);
      } else {
        setMessage("Something went wrong.");
      }
    }
  }

  return (
    <main className="flex items-center justify-center md:h-screen">
      <Title>Log in · Acme</Title>
      <div className="relative mx-auto flex w-full max-w-[400px] flex-col space-y-2.5 p-4 md:-mt-32">
        <div className="flex h-20 w-full items-end rounded-lg bg-blue-500 p-3 md:h-36">
          <div className="w-32 text-white md:w-36">
            <AcmeLogo />
          </div>
        </div>
        <form className="space-y-3" onSubmit={submit} noValidate aria-label="Log in">
          <div className="flex-1 rounded-lg bg-gray-50 px-6 pb-4 pt-8">
            <h1 className="mb-3 font-serif text-2xl">Please log in to continue.</h1>
            <div className="w-full">
              <div>
                <label className="mb-3 mt-5 block text-xs font-medium text-gray-900" htmlFor="email">
                  Email
                </label>
                <div className="relative">
                  <input
                    ref={emailRef}
                    className="peer block w-full rounded-md border border-gray-200 py-[9px] pl-10 text-sm focus:outline-2 focus:-outline-offset-1 focus:outline-blue-500 placeholder:text-gray-500 aria-invalid:border-red-500"
                    id="email"
                    type="email"
                    name="email"
                    autoComplete="username"
                    placeholder="Enter your email address"
                    required
                    aria-invalid={errors.email ? true : undefined}
                    aria-describedby="email-error"
                  />
                  <AtSymbolIcon className="pointer-events-none absolute left-3 top-1/2 h-[18px] w-[18px] -translate-y-1/2 text-gray-500 peer-focus:text-gray-900" aria-hidden="true" />
                </div>
                <div id="email-error" aria-live="polite">
                  {errors.email ? <p className="mt-2 text-sm text-red-600">{errors.email}</p> : null}
                </div>
              </div>
              <div className="mt-4">
                <label className="mb-3 mt-5 block text-xs font-medium text-gray-900" htmlFor="password">
                  Password
                </label>
                <div className="relative">
                  <input
                    ref={passwordRef}
                    className="peer block w-full rounded-md border border-gray-200 py-[9px] pl-10 text-sm focus:outline-2 focus:-outline-offset-1 focus:outline-blue-500 placeholder:text-gray-500 aria-invalid:border-red-500"
                    id="password"
                    type="password"
                    name="password"
                    autoComplete="current-password"
                    placeholder="Enter password"
                    required
                    minLength={6}
                    aria-invalid={errors.password ? true : undefined}
                    aria-describedby="password-error"
                  />
                  <KeyIcon className="pointer-events-none absolute left-3 top-1/2 h-[18px] w-[18px] -translate-y-1/2 text-gray-500 peer-focus:text-gray-900" aria-hidden="true" />
                </div>
                <div id="password-error" aria-live="polite">
                  {errors.password ? <p className="mt-2 text-sm text-red-600">{errors.password}</p> : null}
                </div>
              </div>
            </div>
            <Button className="mt-4 w-full" type="submit" aria-disabled={pending} disabled={pending}>
              Log in <ArrowRightIcon className="ml-auto h-5 w-5 text-gray-50" aria-hidden="true" />
            </Button>
            <div className="flex h-8 items-end space-x-1" aria-live="polite" aria-atomic="true">
              {message ? (
                <>
                  <ExclamationCircleIcon className="h-5 w-5 text-red-600" aria-hidden="true" />
                  <p className="text-sm text-red-600" role="alert">
                    {message}
                  </p>
                </>
              ) : null}
            </div>
          </div>
        </form>
      </div>
    </main>
  );
}
