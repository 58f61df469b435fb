// GitLab's Harbor integration (lib/api/integrations.rb, Integrations::Harbor):
//   PUT /projects/:id/integrations/harbor  url, project_name, username, password (all required),
//                                          use_inherited_settings -> sets active: true
//   GET /projects/:id/integrations/harbor  -> {id, slug, active, properties: {url, project_name,
//                                          username}}; the password is never returned; 404 "Integration
//                                          Not Found" until it was saved once
//   and the same under /groups/:id/integrations/harbor. Both need the Maintainer role and the `api` scope.

import type { SupportedIntegration } from "@gitbeaker/rest";
import { CliError } from "../cli/diagnostics.ts";
import type { CallRecord } from "../cli/io.ts";
import { failureOf, gitlabCall, gitlabId, type GitlabApi, type GitlabConnection, type GitlabContext } from "./client.ts";
import { expectShape } from "./shapes.ts";

export interface IntegrationTarget {
  kind: "project" | "group";
  /** Numeric ID or full path (group/sub/project). */
  id: string;
}

export interface HarborIntegrationSettings {
  url: string;
  project_name: string;
  username: string;
  password: string;
  use_inherited_settings: boolean;
}

export interface HarborIntegrationState {
  active: boolean;
  url?: string;
  projectName?: string;
  username?: string;
}

// gitbeaker 43's SupportedIntegration union has no 'harbor' (the endpoint accepts it): cast once here.
const HARBOR = "harbor" as SupportedIntegration;

function stateOf(body: unknown): HarborIntegrationState {
  const b = (body ?? {}) as { active?: unknown; properties?: Record<string, unknown> };
  const p = b.properties ?? {};
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const state: HarborIntegrationState = { active: b.active === true };
  const url = str(p.url);
  const projectName = str(p.project_name);
  const username = str(p.username);
  if (url !== undefined) state.url = url;
  if (projectName !== undefined) state.projectName = projectName;
  if (username !== undefined) state.username = username;
  return state;
}

export function describeTarget(t: IntegrationTarget): string {
  return `${t.kind} ${t.id}`;
}

export class HarborIntegrations {
  constructor(
    private readonly api: GitlabApi,
    private readonly conn: GitlabConnection,
    private readonly onCall?: (call: CallRecord) => void,
  ) {}

  /** The REST path, as shown in --dry-run and --verbose. */
  url(t: IntegrationTarget): string {
    const id = gitlabId(t.id);
    return `${this.conn.url.replace(/\/+$/, "")}/api/v4/${t.kind}s/${encodeURIComponent(String(id))}/integrations/harbor`;
  }

  private ctx(t: IntegrationTarget, what: string): GitlabContext {
    return {
      what: `${what} the Harbor integration of ${describeTarget(t)}`,
      subject: describeTarget(t),
      role: t.kind === "group" ? "Owner or Maintainer" : "Maintainer",
      scope: "api",
    };
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.conn.timeoutMs);
  }

  /** The integration's state, or undefined when it was never saved for this project or group. */
  async get(t: IntegrationTarget): Promise<HarborIntegrationState | undefined> {
    this.onCall?.({ method: "GET", url: this.url(t), as: "GITLAB_TOKEN", sent: true });
    const id = gitlabId(t.id);
    const body = await gitlabCall(this.conn, this.ctx(t, "read"), async () => {
      try {
        if (t.kind === "project") return await this.api.Integrations.show(id, HARBOR);
        // gitbeaker 43 has no group integrations resource: same requester, group path.
        const res = await this.api.Integrations.requester.get(`groups/${encodeURIComponent(String(id))}/integrations/harbor`, { signal: this.signal() });
        return res.body;
      } catch (err) {
        // "404 Integration Not Found" = never configured; "404 Project Not Found" stays an error.
        const f = failureOf(err);
        if (f?.status === 404 && /integration|service/i.test(f.description ?? "")) return undefined;
        throw err;
      }
    });
    return body === undefined ? undefined : stateOf(expectShape(body, "integration", this.ctx(t, "read"), this.conn.url));
  }

  async put(t: IntegrationTarget, settings: HarborIntegrationSettings): Promise<HarborIntegrationState> {
    this.onCall?.({ method: "PUT", url: this.url(t), as: "GITLAB_TOKEN", body: settings, sent: true });
    const id = gitlabId(t.id);
    const body = await gitlabCall(this.conn, this.ctx(t, "update"), async () => {
      try {
        if (t.kind === "project") return await this.api.Integrations.edit(id, HARBOR, { ...settings });
        const res = await this.api.Integrations.requester.put(`groups/${encodeURIComponent(String(id))}/integrations/harbor`, {
          body: { ...settings },
          signal: this.signal(),
        });
        return res.body;
      } catch (err) {
        const f = failureOf(err);
        if (f?.status === 400) {
          throw new CliError({
            code: "GITLAB_INTEGRATION_REJECTED",
            message: `GitLab refused the Harbor settings for ${describeTarget(t)} (HTTP 400)`,
            expected: "url: a public http(s) URL; project_name, username: non-empty; password: maskable (8+ characters among letters, digits and _+=/@:.~-)",
            actual: f.description ?? "400 Bad Request",
            fix: "check --harbor-url (a Harbor on a private address needs Admin > Settings > Network > Outbound requests > allow requests to the local network) and run again",
          });
        }
        throw err;
      }
    });
    return stateOf(expectShape(body, "integration", this.ctx(t, "update"), this.conn.url));
  }
}
