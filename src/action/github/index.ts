/** The GitHub side of the Action, for its entry point: no `@actions/*` here except the adapter. */
export {
  type FoundPlanComment,
  findPlanComment,
  type PlanCommentTarget,
  readReviewedDigest,
  type StatusResult,
  setCommentStatus,
  type UpsertPlanCommentInput,
  type UpsertResult,
  upsertPlanComment,
} from './comment.js';
export {
  type ApplyCounts,
  buildPlanComment,
  COMMENT_HEADER_RESERVE,
  COMMENT_MAX_CHARS,
  type CommentState,
  type CommentStatus,
  commentVerdict,
  fullPlanPointer,
  GITHUB_COMMENT_LIMIT,
  PLAN_ARTIFACT,
  type PlanMarker,
  type PlanVerdict,
  planCommentBody,
  readPlanMarker,
} from './comment-format.js';
export {
  type DriftIssueAction,
  type DriftIssueInput,
  type DriftIssueResult,
  driftHeadline,
  findDriftIssue,
  hasDrift,
  renderDriftIssueBody,
  syncDriftIssue,
} from './drift-issue.js';
export { EventPayloadError, GitHubProtocolError } from './errors.js';
export {
  type ActionMode,
  type EventInput,
  isForkPullRequest,
  type PullRequestRef,
  type Route,
  routeEvent,
  type SkipReason,
} from './events.js';
export { manifestKey } from './marker.js';
export { findMergedPullRequest, selectMergedPullRequest } from './merged-pr.js';
export { createOctokitPort, OctokitPort, type OctokitPortOptions } from './octokit.js';
export type * from './port.js';
