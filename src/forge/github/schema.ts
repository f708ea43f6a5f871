/**
 * The fields Handoff reads from GitHub's REST responses, each as a zod schema (Renovate's
 * `platform/github/schema.ts` does the same): a response that lacks a field the core relies on fails
 * here with its JSON path instead of deep inside a flow. Only the fields used are listed; the rest of
 * each response passes through unread.
 */
import { z } from "zod";

export const UserSchema = z.object({ login: z.string(), type: z.string().default("User") });

/** A label as it comes inside an issue (a string on some old endpoints). */
const IssueLabelSchema = z.union([z.string(), z.object({ name: z.string() })]);

export const IssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(["open", "closed"]),
  labels: z.array(IssueLabelSchema),
  user: UserSchema.nullable(),
  html_url: z.string(),
  pull_request: z.object({}).passthrough().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type GitHubIssue = z.infer<typeof IssueSchema>;

export const CommentSchema = z.object({
  id: z.number().int().positive(),
  body: z.string().nullish(),
  user: UserSchema.nullable(),
  html_url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type GitHubComment = z.infer<typeof CommentSchema>;

export const PullRequestSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(["open", "closed"]),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string() }),
  draft: z.boolean().nullish(),
  merged_at: z.string().nullish(),
  user: UserSchema.nullable(),
  html_url: z.string(),
});
export type GitHubPullRequest = z.infer<typeof PullRequestSchema>;

export const ReviewSchema = z.object({
  id: z.number().int().positive(),
  state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]),
  body: z.string().nullish(),
  user: UserSchema.nullable(),
  submitted_at: z.string().nullish(),
});

export const ReviewCommentSchema = z.object({
  id: z.number().int().positive(),
  pull_request_review_id: z.number().int().nullish(),
  body: z.string(),
  path: z.string(),
  line: z.number().int().nullish(),
  user: UserSchema.nullable(),
  html_url: z.string(),
});

export const RepositorySchema = z.object({ default_branch: z.string() });

/**
 * `role_name` is the one to trust (it knows maintain and triage); `permission` is the legacy
 * admin/write/read/none, used when `role_name` is a custom role's name.
 */
export const CollaboratorPermissionSchema = z.object({
  permission: z.string(),
  role_name: z.string().nullish(),
});

export const LabelSchema = z.object({ name: z.string() });

export const RefSchema = z.object({ object: z.object({ sha: z.string() }) });

const ContentTypeSchema = z.enum(["file", "dir", "symlink", "submodule"]);

export const ContentEntrySchema = z.object({
  type: ContentTypeSchema,
  name: z.string(),
  path: z.string(),
  sha: z.string(),
});

/** A file from the contents API; files over 1 MB come without content (`encoding: "none"`). */
export const ContentFileSchema = ContentEntrySchema.extend({
  content: z.string().optional(),
  encoding: z.string().optional(),
});

export const BlobSchema = z.object({ content: z.string(), encoding: z.string() });

export const CommitFileResponseSchema = z.object({ commit: z.object({ sha: z.string() }) });

export const WorkflowRunSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().nullish(),
  display_title: z.string().nullish(),
  path: z.string().nullish(),
  event: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  head_branch: z.string().nullable(),
  html_url: z.string(),
  created_at: z.string(),
});
