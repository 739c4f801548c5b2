"use client";

import { type FormEvent, type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { ROLES, type Role } from "@/lib/auth/scopes";
import type { InvitationCreated, InvitationView, MemberView } from "@/lib/wire/accounts";
import { ApiError, apiFetch } from "@/lib/wire/client";
import { INPUT_CLASS } from "./fields";
import { HEADING, SECTION } from "./settings-parts";

/**
 * The workspace's settings: its name, members and their roles, invitations, and leaving.
 * An invitation is a link: with `mailOn` (SMTP_URL set) one with an email is mailed there
 * ("Emailed to …", or why not, with the link to copy) and can be resent; without, the
 * link is copied and sent by hand. What a role may not do is not offered (the server
 * refuses it anyway: only owners touch owners, the last owner stays).
 * `children` (access tokens, share links) come before Leave.
 */
export function WorkspaceSettings({
  workspace,
  role,
  userId,
  members: initialMembers,
  invitations: initialInvitations,
  mailOn,
  children,
}: {
  workspace: { id: string; name: string };
  role: Role;
  userId: string | null;
  members: MemberView[];
  invitations: InvitationView[] | null;
  /** the instance sends mail: invitations with an email are mailed, and can be resent */
  mailOn: boolean;
  /** more sections (access tokens, share links), shown before Leave */
  children?: ReactNode;
}) {
  const [members, setMembers] = useState(initialMembers);
  const [invitations, setInvitations] = useState(initialInvitations);
  const [created, setCreated] = useState<{ link: string; mail: InvitationCreated["mail"] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const manages = initialInvitations !== null;
  const owners = members.filter((member) => member.role === "owner").length;

  async function act(work: () => Promise<void>) {
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Something went wrong. Please try again.");
    }
  }

  const reloadMembers = async () =>
    setMembers((await apiFetch<{ members: MemberView[] }>("/api/workspace/members")).members);
  const reloadInvitations = async () =>
    setInvitations((await apiFetch<{ invitations: InvitationView[] }>("/api/workspace/invitations")).invitations);

  function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    void act(async () => {
      await apiFetch("/api/workspace", { method: "PATCH", json: { name } });
      setNotice("Renamed.");
    });
  }

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const email = String(form.get("invite-email") ?? "").trim();
    void act(async () => {
      const { path, mail } = await apiFetch<InvitationCreated>("/api/workspace/invitations", {
        method: "POST",
        json: { role: form.get("invite-role"), ...(email ? { email } : {}) },
      });
      setCreated({ link: `${window.location.origin}${path}`, mail });
      // the address is done with; the role stays for the next one
      const emailField = element.elements.namedItem("invite-email");
      if (emailField instanceof HTMLInputElement) emailField.value = "";
      await reloadInvitations();
    });
  }

  function resend(invitation: InvitationView) {
    void act(async () => {
      const { path, mail } = await apiFetch<InvitationCreated>(`/api/workspace/invitations/${invitation.id}/resend`, {
        method: "POST",
      });
      setCreated({ link: `${window.location.origin}${path}`, mail });
      await reloadInvitations();
    });
  }

  const mayChange = (member: MemberView) => manages && (role === "owner" || member.role !== "owner");
  const roleChoices = role === "owner" ? ROLES : ROLES.filter((choice) => choice !== "owner");

  return (
    <div className="space-y-6">
      <ErrorMessage message={error} />
      {notice && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {notice}
        </p>
      )}
      <section className={SECTION} aria-labelledby="workspace-heading">
        <h2 id="workspace-heading" className={HEADING}>
          Workspace
        </h2>
        {manages ? (
          <form onSubmit={rename} className="flex items-end gap-2">
            <div className="flex-1 space-y-1">
              <label htmlFor="name" className="block text-sm font-medium">
                Name
              </label>
              <input
                id="name"
                name="name"
                defaultValue={workspace.name}
                maxLength={80}
                required
                className={INPUT_CLASS}
              />
            </div>
            <Button type="submit">Rename</Button>
          </form>
        ) : (
          <p className="text-sm">{workspace.name}</p>
        )}
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Your role: <strong>{role}</strong>.
        </p>
      </section>

      <section className={SECTION} aria-labelledby="members-heading">
        <h2 id="members-heading" className={HEADING}>
          Members
        </h2>
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {members.map((member) => (
            <li
              key={member.id}
              className="flex flex-wrap items-center gap-3 py-2 text-sm"
              aria-label={`${member.name}, ${member.role}`}
            >
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">
                  {member.guest ? `${member.name} (guest)` : member.name}
                  {member.userId === userId && <span className="text-zinc-500 dark:text-zinc-400"> · you</span>}
                </p>
                {member.email && <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{member.email}</p>}
              </div>
              {mayChange(member) ? (
                <>
                  <label className="sr-only" htmlFor={`role-${member.id}`}>
                    Role of {member.name}
                  </label>
                  <select
                    id={`role-${member.id}`}
                    value={member.role}
                    disabled={member.role === "owner" && owners <= 1}
                    onChange={(event) =>
                      void act(async () => {
                        await apiFetch(`/api/workspace/members/${member.id}`, {
                          method: "PATCH",
                          json: { role: event.target.value },
                        });
                        await reloadMembers();
                      })
                    }
                    className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                  >
                    {(member.role === "owner" ? ROLES : roleChoices).map((choice) => (
                      <option key={choice} value={choice}>
                        {choice}
                      </option>
                    ))}
                  </select>
                  {member.userId !== userId && (
                    <Button
                      variant="ghost"
                      disabled={member.role === "owner" && owners <= 1}
                      onClick={() =>
                        void act(async () => {
                          if (!window.confirm(`Remove ${member.name} from this workspace?`)) return;
                          await apiFetch(`/api/workspace/members/${member.id}`, { method: "DELETE" });
                          await reloadMembers();
                        })
                      }
                    >
                      Remove
                    </Button>
                  )}
                </>
              ) : (
                <span className="text-zinc-600 dark:text-zinc-400">{member.role}</span>
              )}
            </li>
          ))}
        </ul>
        {owners <= 1 && (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            A workspace keeps at least one owner: make someone else an owner first to step down.
          </p>
        )}
      </section>

      {invitations !== null && (
        <section className={SECTION} aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className={HEADING}>
            Invitations
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {mailOn
              ? "An invitation is a link that works once, for 7 days. With an email, it is mailed there, and only that address can accept it once confirmed; without, copy the link and send it however you like."
              : "An invitation is a link: copy it and send it however you like. It works once, for 7 days."}
          </p>
          <form onSubmit={invite} className="flex flex-wrap items-end gap-2" aria-label="Invite">
            <div className="min-w-48 flex-1 space-y-1">
              <label htmlFor="invite-email" className="block text-sm font-medium">
                {mailOn ? "Email (optional: the link is mailed there)" : "Email (optional, for your list)"}
              </label>
              <input id="invite-email" name="invite-email" type="email" className={INPUT_CLASS} />
            </div>
            <div className="space-y-1">
              <label htmlFor="invite-role" className="block text-sm font-medium">
                Role
              </label>
              <select
                id="invite-role"
                name="invite-role"
                defaultValue="member"
                className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              >
                {roleChoices.map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" variant="primary">
              {mailOn ? "Invite" : "Create link"}
            </Button>
          </form>
          {created && (
            <CreatedInvitation link={created.link} mail={created.mail} onCopied={() => setNotice("Link copied.")} />
          )}
          {invitations.length > 0 && (
            <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
              {invitations.map((invitation) => (
                <li key={invitation.id} className="flex items-center gap-3 py-2">
                  <div className="min-w-0 flex-1">
                    <span className="block truncate">
                      {invitation.email ?? "Anyone with the link"} · {invitation.role} · {invitation.status}
                      {invitation.status === "open" && (
                        <span className="text-zinc-500 dark:text-zinc-400">
                          {" "}
                          · expires <RelativeTime iso={invitation.expiresAt} />
                          {invitation.mailedAt && (
                            <>
                              {" "}
                              · emailed <RelativeTime iso={invitation.mailedAt} />
                            </>
                          )}
                        </span>
                      )}
                    </span>
                    {invitation.status === "open" && invitation.mailError && (
                      <span className="block text-xs text-amber-800 dark:text-amber-300">
                        not mailed: {invitation.mailError}
                      </span>
                    )}
                  </div>
                  {invitation.status === "open" && mailOn && invitation.email && (
                    <Button variant="ghost" onClick={() => resend(invitation)}>
                      Resend
                    </Button>
                  )}
                  {invitation.status === "open" && (
                    <Button
                      variant="ghost"
                      onClick={() =>
                        void act(async () => {
                          await apiFetch(`/api/workspace/invitations/${invitation.id}`, { method: "DELETE" });
                          await reloadInvitations();
                        })
                      }
                    >
                      Revoke
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {children}

      <section className={SECTION} aria-labelledby="leave-heading">
        <h2 id="leave-heading" className={HEADING}>
          Leave
        </h2>
        <Button
          variant="danger"
          disabled={role === "owner" && owners <= 1}
          onClick={() =>
            void act(async () => {
              if (!window.confirm(`Leave ${workspace.name}? You lose access to its sessions.`)) return;
              await apiFetch("/api/workspace/leave", { method: "POST" });
              window.location.assign("/");
            })
          }
        >
          Leave this workspace
        </Button>
      </section>
    </div>
  );
}

/**
 * What became of a new (or resent) invitation: "Emailed to …" when the mail went out (the
 * link can still be copied), else the link to copy — after a failed mail, with why it
 * failed, in an alert.
 */
function CreatedInvitation({
  link,
  mail,
  onCopied,
}: {
  link: string;
  mail: InvitationCreated["mail"];
  onCopied: () => void;
}) {
  const copy = () => void navigator.clipboard.writeText(link).then(onCopied);
  if (mail.sent) {
    return (
      <div role="status" className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-emerald-700 dark:text-emerald-400">
          Emailed to <strong>{mail.to}</strong>. The link works once, for 7 days.
        </span>
        <Button variant="ghost" onClick={copy}>
          Copy link
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      {mail.reason === "failed" && (
        <p
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
        >
          The invitation was made, but the mail to <strong>{mail.to}</strong> was not sent: {mail.message} Copy the link
          below and send it yourself, or try Resend.
        </p>
      )}
      <div className="flex items-center gap-2">
        <label className="sr-only" htmlFor="invitation-link">
          Invitation link
        </label>
        <input
          id="invitation-link"
          readOnly
          value={link}
          className={`${INPUT_CLASS} font-mono text-xs`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button onClick={copy}>Copy</Button>
      </div>
    </div>
  );
}
