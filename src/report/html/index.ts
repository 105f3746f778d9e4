/** The HTML report page: report (+ history) in, one self-contained page out. Pure. */
export { renderHtml, HTML_CONTENT_TYPE, CONTENT_SECURITY_POLICY } from './page';
export type { HtmlOptions } from './page';
export {
  addToHistory,
  countFindings,
  historyPoint,
  historyPointsOf,
  parseHistoryIndex,
  passRate,
  trendPoints,
  HISTORY_KIND,
  TREND_DAYS,
} from './history';
export type { HistoryIndex, HistoryPoint, StatusCounts } from './history';
export { buildModel, OU_UNKNOWN } from './model';
export type { PageModel, PageCause, PageRow, PageGroup, PageColumn, OrganizationTrailView } from './model';
export { CellStatus, STATUS_LETTER, cellStatus, exceptionOf } from './status';
export type { CellStatusValue, ExceptionInfo } from './status';
