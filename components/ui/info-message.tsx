/** News for the person that is not an error (ErrorMessage's neutral sibling); nothing when `message` is null. */
export function InfoMessage({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p
      role="status"
      className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100"
    >
      {message}
    </p>
  );
}
