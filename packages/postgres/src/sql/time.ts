/**
 * "Now" as the adapter stores it: the transaction's timestamp truncated to milliseconds, the contract's
 * precision, so every stored time round-trips exactly through a JavaScript `Date` (timestamptz would otherwise
 * keep microseconds). Writes store `greatest(NOW, updated_at)`, so `updatedAt` never goes backwards.
 */
export const NOW = "date_trunc('milliseconds', now())";
