/**
 * How every statement that finds a message by its id names the thread: `thread_id COLLATE "POSIX"`.
 *
 * Looking a message up by `(thread_id, id)` must probe the unique index `fluxibly_messages_message_key`
 * (migration 0002, `(thread_id COLLATE "POSIX", id)`). A plain `thread_id = $1` also matches the primary key
 * `(thread_id, seq)`, and a generic plan made while the table looked small (right after a deploy, or under
 * `plan_cache_mode = force_generic_plan`) costs both the same and may walk the whole thread through the primary key,
 * filtering on `id`: a batch append into a 20k-message thread was ×22 slower. A btree index serves a comparison only
 * when their collations are the same, and `"POSIX"` (byte order, deterministic: the same equality as the columns'
 * `"C"`) belongs to no other index, so this comparison can only be served by the unique index — in every plan,
 * generic or custom, with no session setting.
 */
export const MESSAGE_KEY_THREAD = 'thread_id COLLATE "POSIX"';
