// The Harbor API client: one transport (transport.ts) and one object per resource on top of it,
// in gitbeaker's style (`harbor.projects.show(...)`, `harbor.robots.create(...)`):
//   projects.ts   projects, and a robot's proof of access (the repository list)
//   robots.ts     project robot accounts: list, create, refresh the secret
//   artifacts.ts  an artifact with its scan overview, and its vulnerability additions
//   scans.ts      starting a scan
// HarborClient below is what `setup` calls (setup.ts HarborSide); scan.ts's ScanClient is what
// `scan` calls. Both build on createHarbor, so every fix of the transport reaches both.

import type { CallRecord } from "../cli/io.ts";
import type { FetchLike } from "../http/request.ts";
import type { RetryPolicy } from "../http/retry.ts";
import { Artifacts } from "./artifacts.ts";
import { Projects, type HarborProject } from "./projects.ts";
import { Robots, type HarborRobot, type RobotCreate, type RobotCreated } from "./robots.ts";
import { Scans, type ScanExitCodes } from "./scans.ts";
import { HarborTransport, type HarborTransportOptions } from "./transport.ts";

export type { HarborProject } from "./projects.ts";
export type { HarborRobot, RobotCreate, RobotCreated } from "./robots.ts";

export interface HarborApi {
  transport: HarborTransport;
  projects: Projects;
  robots: Robots;
  artifacts: Artifacts;
  scans: Scans;
}

/** Every resource over one transport. `exits` are the command's codes for outcomes that are not failures of Harbor. */
export function createHarbor(opts: HarborTransportOptions, exits: ScanExitCodes = { notScanned: opts.exitCode }): HarborApi {
  const transport = new HarborTransport(opts);
  return {
    transport,
    projects: new Projects(transport),
    robots: new Robots(transport),
    artifacts: new Artifacts(transport),
    scans: new Scans(transport, exits),
  };
}

export interface HarborClientOptions {
  /** Base URL of Harbor, e.g. https://harbor.example.com (no /api/v2.0). */
  url: string;
  adminUser: string;
  adminPassword: string;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Cap of one answer's body (http/bounded.ts DEFAULT_MAX_BODY_BYTES when absent). */
  maxBodyBytes?: number;
  /** Exit code of Harbor failures; setup's is 1. */
  exitCode?: number;
  fetch?: FetchLike;
  /** Every call made, for --verbose and --dry-run. */
  onCall?: (call: CallRecord) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
}

/** Where setup's Harbor URL and admin credentials come from, for the fix of a bad URL. */
export const HARBOR_URL_SOURCE = "--harbor-url / HARBOR_URL";
export const HARBOR_CREDENTIALS_HINT = "Harbor credentials go in HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD";

/** The Harbor calls of `setup`, as its administrator (setup.ts HarborSide). */
export class HarborClient {
  readonly api: string;
  readonly adminUser: string;
  private readonly harbor: HarborApi;
  constructor(opts: HarborClientOptions) {
    this.harbor = createHarbor({
      url: opts.url,
      urlSource: HARBOR_URL_SOURCE,
      credentialsHint: HARBOR_CREDENTIALS_HINT,
      credentials: { user: opts.adminUser, password: opts.adminPassword },
      retry: opts.retry,
      timeoutMs: opts.timeoutMs,
      exitCode: opts.exitCode ?? 1,
      ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.onCall ? { onCall: opts.onCall } : {}),
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    });
    this.api = this.harbor.transport.api;
    this.adminUser = opts.adminUser;
  }

  getProject(name: string): Promise<HarborProject> {
    return this.harbor.projects.show(name);
  }

  listProjectRobots(projectId: number): Promise<HarborRobot[]> {
    return this.harbor.robots.listForProject(projectId);
  }

  createRobot(body: RobotCreate): Promise<RobotCreated> {
    return this.harbor.robots.create(body);
  }

  refreshRobotSecret(robot: { id: number; name: string }): Promise<string> {
    return this.harbor.robots.refreshSecret(robot);
  }

  /** Proves the robot's credentials work on the project the way GitLab's Harbor view uses them. */
  checkRobotAccess(project: string, robotName: string, secret: string): Promise<string> {
    return this.harbor.projects.checkRepositoryAccess(project, { user: robotName, password: secret });
  }
}
