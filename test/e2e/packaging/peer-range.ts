/** True when `version` satisfies a caret range `^X.Y.Z` or a `||` union of them (the peers' form). */
export function satisfies(version: string, range: string): boolean {
  return range.split('||').some((part) => satisfiesCaret(version, part.trim()));
}

/** True when `version` satisfies one caret range `^X.Y.Z`. */
function satisfiesCaret(version: string, range: string): boolean {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (match === null) return false;
  const [major, minor, patch] = version.split('.').map(Number);
  const [rMajor, rMinor, rPatch] = match.slice(1).map(Number);
  return (
    major === rMajor &&
    (minor > rMinor || (minor === rMinor && patch >= rPatch)) &&
    (rMajor > 0 || minor === rMinor)
  );
}
