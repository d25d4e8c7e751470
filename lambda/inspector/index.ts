export { openMemoryInspector } from './memory-inspector.js';
export { exportUserMemory, type ExportOptions } from './export.js';
export { JsonLinesAuditLog } from './audit-log.js';
export {
  EXPORT_FORMAT,
  type AddRecordInput,
  type AuditAction,
  type AuditEntry,
  type AuditLog,
  type ChangeOutcome,
  type ChangeRefusal,
  type ExportCounts,
  type HistoryItem,
  type InspectedEvent,
  type InspectedPayload,
  type InspectedRecord,
  type InspectedSession,
  type InspectedSessionTable,
  type InspectedStrategy,
  type MemoryInspector,
  type MemoryInspectorOptions,
  type RecordChange,
  type ScoredRecord,
  type SemanticSearchOptions,
  type TextSearchOptions,
} from './types.js';
export { InspectorInputError, InspectorWriteError } from '../platform/errors.js';
