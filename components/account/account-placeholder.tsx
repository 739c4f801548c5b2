/** Where the account menu goes, the header's height kept, until the account is known (and its code is here). */
export function AccountPlaceholder() {
  return <div className="ml-auto h-7" aria-hidden />;
}
