import type { ReactNode } from "react";

/** The narrow centred card the sign-in, sign-up and invitation pages share. */
export function AuthPage({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-sm space-y-6 px-4 py-12">
      <section className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {intro && <div className="text-sm text-zinc-600 dark:text-zinc-400">{intro}</div>}
      </section>
      <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        {children}
      </div>
    </div>
  );
}
