import { useCan, useSessionAccess } from "../session/session-access";
import { Button } from "../ui/button";
import { Tab, TabList } from "../ui/tabs";
import { ExportMenu } from "./export-menu";

export type EditorTab = "files" | "diff";

/**
 * Above the editor: Files/Diff, which step the files belong to, export, and what the person
 * can do at that step (show the latest, run the tests, edit the open file, save or discard).
 * A `…Blocked` reason disables its button and says why.
 */
export function EditorToolbar({
  tab,
  onTab,
  changed,
  sessionId,
  pointId,
  pointLabel,
  leafId,
  atEnd,
  onShowEnd,
  editing,
  testing,
  testBlocked,
  onRunTests,
  canEdit,
  editBlocked,
  onEdit,
  saving,
  unchanged,
  onSave,
  onDiscard,
}: {
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
  /** the step in view changed a file (the Diff tab has something to show) */
  changed: boolean;
  sessionId: string;
  pointId: string | null;
  pointLabel: string;
  leafId: string | null;
  atEnd: boolean;
  onShowEnd: () => void;
  /** a draft is open: Save and Discard replace Run tests and Edit */
  editing: boolean;
  testing: boolean;
  testBlocked: string | undefined;
  onRunTests: () => void;
  /** whether the open file can be edited now (null: no file open) */
  canEdit: boolean | null;
  editBlocked: string | undefined;
  onEdit: () => void;
  saving: boolean;
  /** the draft equals the file as it is: nothing to save */
  unchanged: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  // Export is the workspace's (a share link's visitor gets none, nor anyone once the session is deleted: its
  // downloads would fail); tests and saving need their routes' scopes.
  const { share, deleted } = useSessionAccess();
  const mayExport = share === null && !deleted;
  const mayTest = useCan("runs:start");
  const mayEdit = useCan("steps:edit");
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
      <TabList label="Editor view">
        <Tab selected={tab === "files"} onClick={() => onTab("files")}>
          Files
        </Tab>
        <Tab selected={tab === "diff"} onClick={() => onTab("diff")}>
          Diff
          {changed ? (
            <span className="ml-1 h-1.5 w-1.5 rounded-full bg-violet-500">
              <span className="sr-only">(this step changed a file)</span>
            </span>
          ) : null}
        </Tab>
      </TabList>
      <p className="min-w-0 flex-1 truncate text-xs text-zinc-500 dark:text-zinc-400" title={pointLabel}>
        {pointLabel}
      </p>
      {mayExport ? <ExportMenu sessionId={sessionId} stepId={pointId} leafId={leafId} /> : null}
      {atEnd ? null : (
        <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={onShowEnd}>
          Show latest
        </Button>
      )}
      {!editing && pointId && mayTest ? (
        <Button
          variant="secondary"
          className="px-2 py-0.5 text-xs"
          disabled={testing || testBlocked !== undefined}
          aria-busy={testing}
          title={testBlocked ?? "Run the tests in the files at this step, in the sandbox; the report becomes a step"}
          onClick={onRunTests}
        >
          {testing ? (
            <span
              aria-hidden
              className="h-3 w-3 animate-spin rounded-full border-2 border-zinc-300 border-t-violet-500 motion-reduce:animate-none"
            />
          ) : (
            <svg aria-hidden viewBox="0 0 12 12" className="h-2.5 w-2.5 fill-emerald-600 dark:fill-emerald-400">
              <path d="M2 1.2v9.6a.6.6 0 0 0 .9.5l7.6-4.8a.6.6 0 0 0 0-1L2.9.7a.6.6 0 0 0-.9.5Z" />
            </svg>
          )}
          {testing ? "Running tests…" : "Run tests"}
        </Button>
      ) : null}
      {tab === "files" && !editing && canEdit !== null && mayEdit ? (
        <Button
          variant="secondary"
          className="px-2 py-0.5 text-xs"
          disabled={!canEdit}
          title={editBlocked}
          onClick={onEdit}
        >
          Edit file
        </Button>
      ) : null}
      {editing ? (
        <>
          <Button variant="primary" className="px-2 py-0.5 text-xs" disabled={saving || unchanged} onClick={onSave}>
            {saving ? "Saving…" : "Save file"}
          </Button>
          <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={onDiscard}>
            Discard
          </Button>
        </>
      ) : null}
    </div>
  );
}
