"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { ApiError, apiFetch } from "@/lib/wire/client";

/**
 * Joins the invitation's workspace and opens it. The button is off until the page has
 * hydrated: before that a click did nothing (seen in CI on a loaded machine: the person
 * clicked "Join", nothing happened, and nothing said why).
 */
export function AcceptInvitation({ token, label }: { token: string; label: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <div className="space-y-3">
      <ErrorMessage message={error} />
      <Button
        variant="primary"
        disabled={busy || !hydrated}
        onClick={async () => {
          setBusy(true);
          try {
            await apiFetch("/api/invitations/accept", { method: "POST", json: { token } });
            window.location.assign("/");
          } catch (caught) {
            setError(caught instanceof ApiError ? caught.message : "Something went wrong. Please try again.");
            setBusy(false);
          }
        }}
      >
        {label}
      </Button>
    </div>
  );
}
