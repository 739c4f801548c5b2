"use client";

import { type FormEvent, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { ROLES, type Role } from "@/lib/auth/scopes";
import { api } from "@/lib/wire/api";
import { errorMessage } from "@/lib/wire/client";
import type { ApiTokenView } from "@/lib/wire/shares";
import { EXPIRY_CHOICES, expiryDays } from "./expiry";
import { INPUT_CLASS } from "./fields";
import { CopyField, HEADING, SECTION, STATUS_TONE } from "./settings-parts";

/**
 * Settings → Access tokens: personal API tokens for scripts and CI bots (docs/api.md).
 * A token acts for its maker in this workspace with at most their role; it is shown once,
 * at creation, and only its hash is kept. The list says when each was last used.
 */
export function AccessTokens({
  workspaceName,
  role,
  tokens: initial,
}: {
  workspaceName: string;
  role: Role;
  tokens: ApiTokenView[];
}) {
  const [tokens, setTokens] = useState(initial);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A token can do at most what its maker can: roles from theirs down.
  const roles = ROLES.slice(ROLES.indexOf(role));

  async function act(work: () => Promise<void>, fallback: string) {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (caught) {
      setError(errorMessage(caught, fallback));
    } finally {
      setBusy(false);
    }
  }

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("token-name") ?? "").trim();
    void act(async () => {
      const { token, apiToken } = await api.createApiToken({
        name,
        role: data.get("token-role") as Role,
        expiresInDays: expiryDays(String(data.get("token-expiry") ?? "")),
      });
      setCreated({ name: apiToken.name, token });
      setTokens((list) => [apiToken, ...list]);
      form.reset();
    }, "Could not create the token.");
  }

  function revoke(id: string) {
    void act(async () => {
      const { apiToken } = await api.revokeApiToken(id);
      setTokens((list) => list.map((token) => (token.id === id ? apiToken : token)));
      setConfirming(null);
    }, "Could not revoke the token.");
  }

  return (
    <section className={SECTION} aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className={HEADING}>
        Access tokens
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A personal API token lets a script or CI bot use the API as you, in <strong>{workspaceName}</strong>, with at
        most your role: send it as <code className="font-mono text-xs">Authorization: Bearer …</code>. To make one for
        another workspace, switch to it first.
      </p>
      <form onSubmit={create} className="flex flex-wrap items-end gap-2" aria-label="New access token">
        <div className="min-w-48 flex-1 space-y-1">
          <label htmlFor="token-name" className="block text-sm font-medium">
            Token name
          </label>
          <input
            id="token-name"
            name="token-name"
            required
            maxLength={100}
            placeholder="e.g. nightly CI"
            className={INPUT_CLASS}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="token-role" className="block text-sm font-medium">
            Acts as
          </label>
          <select id="token-role" name="token-role" defaultValue={role} className={SELECT_CLASS}>
            {roles.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="token-expiry" className="block text-sm font-medium">
            Expires
          </label>
          <select id="token-expiry" name="token-expiry" defaultValue="30" className={SELECT_CLASS}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={busy}>
          Create token
        </Button>
      </form>
      <ErrorMessage message={error} />
      {created && (
        <div
          role="status"
          aria-label="New token"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950/40"
        >
          <p className="text-sm font-medium text-amber-950 dark:text-amber-100">
            Copy “{created.name}” now: this is the only time it is shown. Store it as a secret; anyone who has it can
            act as you.
          </p>
          <CopyField label="API token" value={created.token} />
          <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setCreated(null)}>
            Done, I have copied it
          </Button>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">You have no tokens in this workspace.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800" aria-label="Your access tokens">
          {tokens.map((token) => (
            <li key={token.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2" aria-label={token.name}>
              <div className="min-w-0 flex-1">
                <p className="flex min-w-0 items-center gap-2">
                  <span className="truncate font-medium" title={token.name}>
                    {token.name}
                  </span>
                  <code className="shrink-0 font-mono text-xs text-zinc-500 dark:text-zinc-400">{token.hint}…</code>
                  {token.status !== "active" && <Badge tone={STATUS_TONE[token.status]}>{token.status}</Badge>}
                </p>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  {token.role} · made <RelativeTime iso={token.createdAt} /> ·{" "}
                  {token.lastUsedAt ? (
                    <>
                      last used <RelativeTime iso={token.lastUsedAt} />
                    </>
                  ) : (
                    "never used"
                  )}
                  {token.status === "active" &&
                    (token.expiresAt ? (
                      <>
                        {" "}
                        · expires <RelativeTime iso={token.expiresAt} />
                      </>
                    ) : (
                      " · never expires"
                    ))}
                </p>
              </div>
              {token.status === "active" &&
                (confirming === token.id ? (
                  <fieldset className="flex items-center gap-2" aria-label={`Confirm revoking ${token.name}`}>
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">Scripts using it stop working.</span>
                    <Button
                      variant="danger"
                      className="px-2 py-1 text-xs"
                      disabled={busy}
                      onClick={() => revoke(token.id)}
                    >
                      Revoke
                    </Button>
                    <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setConfirming(null)}>
                      Cancel
                    </Button>
                  </fieldset>
                ) : (
                  <Button
                    variant="secondary"
                    className="px-2 py-1 text-xs text-red-700 dark:text-red-400"
                    onClick={() => setConfirming(token.id)}
                  >
                    Revoke…
                  </Button>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const SELECT_CLASS =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
