"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";

/** A session imported with something left out: its id and title, and what the server said was left out. */
interface ImportedWithNotices {
  id: string;
  title: string;
  notices: string[];
}

/**
 * Imports a session exported as JSON (docs/export-format.md) as a new session, and opens
 * it. When the import left something out (the answer's `notices`, e.g. a branch review on a
 * step later steps continue), the page stays and says so in a status that stays until the
 * next import, with a link to the session: opening it at once would take the notices away
 * before anyone read them.
 */
export function ImportButton() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<ImportedWithNotices | null>(null);

  async function importFile(file: File) {
    setPending(true);
    setError(null);
    setImported(null);
    try {
      const { session, notices } = await api.importSession(file);
      if (!notices?.length) {
        router.push(`/s/${session.id}`);
        return;
      }
      setImported({ id: session.id, title: session.title, notices });
    } catch (caught) {
      setError(errorMessage(caught, "Could not import the session."));
    }
    setPending(false);
  }

  return (
    <div className="max-w-md space-y-2">
      <Button className="px-2 py-0.5 text-xs" disabled={pending} onClick={() => input.current?.click()}>
        {pending ? "Importing…" : "Import session (JSON)"}
      </Button>
      <input
        ref={input}
        data-testid="import-input"
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) void importFile(file);
        }}
      />
      <ErrorMessage message={error} />
      <div role="status">
        {imported ? (
          <div className="space-y-1 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100">
            <p className="font-medium">Imported “{imported.title}”, with something left out:</p>
            <ul className="list-disc space-y-1 pl-5">
              {imported.notices.map((notice) => (
                <li key={notice}>{notice}</li>
              ))}
            </ul>
            <Link href={`/s/${imported.id}`} className="font-medium underline underline-offset-2">
              Open the imported session
            </Link>
          </div>
        ) : null}
      </div>
    </div>
  );
}
