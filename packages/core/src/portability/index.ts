export type { ExportHeader, ExportRecord, MessageRecord, ThreadRecord } from './format.js';
export { EXPORT_FORMAT, EXPORT_VERSION, isExportHeader } from './format.js';
export type { ExportOptions, ExportScope } from './export.js';
export { exportConversations } from './export.js';
export type { ImportConflict, ImportOptions, ImportResult } from './import.js';
export { importConversations } from './import.js';
export { parseJsonLines, toJsonLines } from './json-lines.js';
export { threadTranscript, transcriptChunks } from './transcript.js';
