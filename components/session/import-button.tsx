"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import { Button } from "../ui/button";
import { ErrorMessage } from "../ui/error-message";

/** Imports a session exported as JSON (docs/export-format.md) as a new session, and opens it. */
export function ImportButton() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function importFile(file: File) {
    setPending(true);
    setError(null);
    try {
      const { session } = await api.importSession(file);
      router.push(`/s/${session.id}`);
    } catch (caught) {
      setError(errorMessage(caught, "Could not import the session."));
      setPending(false);
    }
  }

  return (
    <div className="space-y-2">
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
    </div>
  );
}
