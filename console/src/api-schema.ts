// Generated from the API's /openapi.json by `npm run contract:console-types`; do not edit.
// test/unit/console-types.test.ts fails when this file and the API drift apart.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: Temporal reachable and a worker polling */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pending approvals, one visibility page, most recent first, each with the exact action, its digest and the evidence */
        get: operations["listPendingApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The authenticated principal, roles and groups */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The policy in force, every type's section resolved (defaults filled in) */
        get: operations["getPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/simulations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What-if: replay past decisions over a candidate policy
         * @description Validates `policy` exactly as POLICY_FILE is (400 `invalid_policy` with the failing paths), then replays the problems of the window that reached a decision: each one's last recorded decision input (claims, verified facts, scope) through today's decision code with the candidate's section. Read-only: no tool or model call, nothing waiting changes. `items` holds every changed decision plus every problem of `types`; problems that cannot be replayed are counted in `skipped` (`totals.skippedByReason`). Large sets run as a Temporal workflow (`mode: workflow`).
         */
        post: operations["simulatePolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/problems": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List problems (approvers and admins see all; submitters their own) */
        get: operations["listProblems"];
        put?: never;
        /**
         * Submit a problem
         * @description Starts one workflow. With Idempotency-Key, the same key and body return the same id; another body is 409.
         */
        post: operations["submitProblem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/problems/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a problem: status, entities, decision and outcome */
        get: operations["getProblem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/problems/{id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or reject the pending action, bound to its digest */
        post: operations["decideApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/problems/{id}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit trail of a problem, reconstructed from its workflow history
         * @description Ordered steps: extraction (provider, model, token usage, validation, repairs), verification (facts and the tools they came from), decision (rule id, policy version, reason code, input digest), approvals, clarifications, tool calls and compensations (idempotency key, attempts, result), timers fired and status changes. A running problem gives the steps so far. Pages with `limit` and `cursor`. Never the submitted text, prompts or model output.
         */
        get: operations["getProblemAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/problems/{id}/clarifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a clarification question (submitter of the problem only) */
        post: operations["answerClarification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Claims of access_request: An employee needs temporary access (a role) to an internal system such as grafana or prod-db, for a number of days. */
        AccessRequestClaims: {
            /** @description For how many days access is needed (1 to 90) */
            durationDays: number;
            /** @description Id of the employee who needs access, e.g. EMP-501 */
            employeeId: string;
            /** @description Role on that system, lower case, e.g. viewer, editor, read or admin */
            role: string;
            /** @description Internal system id, lower case, e.g. grafana or prod-db */
            system: string;
        };
        /** @description The commitment an approval is for (fields other than type, name and steps are absent on problems that started before they were recorded) */
        Action: {
            /** @description Who the action benefits (step inputs accountId and employeeId); they cannot approve it */
            beneficiary?: {
                accountIds: string[];
                employeeIds: string[];
            };
            followUp?: {
                afterMs: number;
                steps: components["schemas"]["CommittedCall"][];
            } | null;
            group?: string | null;
            name: string;
            policyVersion?: string;
            problemId?: string;
            requiredApprovals?: number;
            steps: {
                compensation?: components["schemas"]["CommittedCall"];
                id: string;
                input: {
                    [key: string]: unknown;
                };
                tool: string;
            }[];
            type: string;
        };
        ApprovalDecisionInput: {
            actionDigest: string;
            comment?: string;
            /** @enum {string} */
            decision: "approve" | "reject";
        };
        ApprovalEvidence: {
            /** @description Verified facts as the systems of record returned them */
            facts: {
                [key: string]: unknown;
            };
            reasonCode: string;
            ruleId: string;
            /** @description The submitter's texts: the original and each clarification */
            texts: string[];
        };
        ApprovalRecord: {
            actionDigest: string;
            at: string;
            comment?: string;
            /** @enum {string} */
            decision: "approve" | "reject";
            principal: string;
        };
        Audit: {
            closed: boolean;
            id: string;
            nextCursor: string | null;
            status: string | null;
            steps: components["schemas"]["AuditStep"][];
        };
        AuditStep: {
            at: string;
            attempts: number;
            /** @description Validated claims only */
            entities?: {
                [key: string]: unknown;
            };
            eventId: number;
            failure?: {
                reasonCode: string | null;
                type: string | null;
            };
            /** @enum {string} */
            kind: "extraction";
            missingFields?: string[];
            model: string | null;
            /** @enum {string} */
            outcome: "completed" | "failed" | "timed_out" | "canceled";
            provider: string | null;
            reasonCode?: string;
            repairAttempts: number | null;
            round: number;
            summary: string | null;
            type: components["schemas"]["ProblemTypeName"] | null;
            usage: {
                completionTokens: number;
                latencyMs: number;
                modelCalls: number;
                promptTokens: number;
            } | null;
            /** @enum {string} */
            validation: "valid" | "clarify" | "failed";
        } | {
            at: string;
            attempts: number;
            eventId: number;
            fact: string;
            failure?: {
                reasonCode: string | null;
                type: string | null;
            };
            idempotencyKey: string | null;
            /** @enum {string} */
            kind: "verification";
            /** @enum {string} */
            outcome: "completed" | "failed" | "timed_out" | "canceled";
            /** @description The tool (system of record lookup) the fact came from */
            source: string;
            value?: unknown;
        } | {
            action: string | null;
            approval?: {
                actionDigest: string;
                group: string | null;
                requiredApprovals: number;
            };
            at: string;
            buildId: string | null;
            eventId: number;
            inputDigest: string | null;
            /** @enum {string} */
            kind: "decision";
            plannedSteps?: {
                id: string;
                tool: string;
            }[];
            policyVersion: string | null;
            reasonCode: string | null;
            recomputedMatches: boolean | null;
            requiresApproval: boolean;
            ruleId: string | null;
            /** @enum {string} */
            source: "event" | "recorded" | "recomputed" | "unavailable";
            type: components["schemas"]["ProblemTypeName"];
            verifiedFacts: string[];
        } | {
            actionDigest: string;
            at: string;
            comment?: string;
            completedAt?: string;
            /** @enum {string} */
            decision: "approve" | "reject";
            eventId: number;
            /** @enum {string} */
            kind: "approval";
            principal: string;
        } | {
            answerLength?: number;
            at: string;
            /** @enum {string} */
            event: "requested" | "answered";
            eventId: number;
            /** @enum {string} */
            kind: "clarification";
            missingFields?: string[];
            principal?: string;
            reasonCode?: string;
            round?: number;
        } | {
            at: string;
            attempts: number;
            eventId: number;
            failure?: {
                reasonCode: string | null;
                type: string | null;
            };
            idempotencyKey: string | null;
            /** @enum {string} */
            kind: "tool";
            /** @enum {string} */
            outcome: "completed" | "failed" | "timed_out" | "canceled";
            result?: unknown;
            stepId: string | null;
            summary: string | null;
            tool: string;
        } | {
            at: string;
            attempts: number;
            eventId: number;
            failure?: {
                reasonCode: string | null;
                type: string | null;
            };
            idempotencyKey: string | null;
            /** @enum {string} */
            kind: "compensation";
            /** @enum {string} */
            outcome: "completed" | "failed" | "timed_out" | "canceled";
            result?: unknown;
            stepId: string | null;
            summary: string | null;
            tool: string;
        } | {
            at: string;
            durationMs: number | null;
            eventId: number;
            /** @enum {string} */
            kind: "timer";
            startedAt: string | null;
            summary: string | null;
        } | {
            at: string;
            eventId: number;
            /** @enum {string} */
            kind: "status";
            reasonCode?: string;
            status: string;
        };
        /** @description Claims of billing_dispute: A customer disputes a charge on an invoice (charged twice, overcharged, billed for a service not received) and wants it credited. */
        BillingDisputeClaims: {
            /** @description Customer account id, e.g. ACC-1001 */
            accountId: string;
            /** @description Disputed amount as written by the customer, in the given currency */
            amount: number;
            /**
             * @description ISO 4217 currency code of the disputed amount
             * @default INR
             */
            currency: string;
            /** @description Invoice id that carries the disputed charge, e.g. INV-2001 */
            invoiceId: string;
            /** @description The charged item the customer names, e.g. FIBER-100, "fiber plan" or "installation"; omit when none is named */
            item?: string;
            /**
             * @description Why the customer disputes the charge
             * @default other
             * @enum {string}
             */
            reason: "duplicate_charge" | "overcharge" | "service_not_received" | "other";
        };
        ClarificationInput: {
            text: string;
        };
        CommittedCall: {
            id: string;
            input: {
                [key: string]: unknown;
            };
            tool: string;
        };
        /** @description Claims of connectivity_issue: A customer has no or poor connectivity on their mobile or fiber service (no internet, no signal, line down, slow, dropping). */
        ConnectivityIssueClaims: {
            /** @description Customer account id, e.g. ACC-1001 */
            accountId: string;
            /** @description 6-digit pincode where the problem happens, if the customer gave one; defaults to the address on record */
            pincode?: string;
            /**
             * @description Which service is affected: mobile (SIM, calls, mobile data) or fiber (home broadband)
             * @enum {string}
             */
            service: "mobile" | "fiber";
            /**
             * Format: date
             * @description Date the problem started (YYYY-MM-DD), if the customer said
             */
            since?: string;
        };
        CurrentPolicy: {
            /** @description The policy file's JSON with defaults filled in: edit it and send it back as a candidate */
            policy: {
                approvalTiming: {
                    escalateAfterMs: number;
                    escalationGroup: string;
                    expireAfterMs: number;
                    remindAfterMs: number;
                };
                clarificationRounds: number;
                clarificationTimeoutMs: number;
                types: {
                    [key: string]: unknown;
                };
                version: string;
            };
            version: string;
        };
        Decision: {
            action: string;
            /** @description The worker build whose rules decided (absent for problems decided before decisions were recorded) */
            buildId?: string;
            /** @description Digest over type, claims, verified facts and policy version: what the rule saw */
            inputDigest: string;
            policyVersion: string;
            reasonCode: string;
            requiresApproval: boolean;
            ruleId: string;
            /** @description Names of the verified facts (tool lookups) the rule used */
            verifiedFacts: string[];
        };
        DecisionSummary: {
            action: string;
            /** @description Money the action moves (sum of its steps' amounts) */
            amount?: number;
            reasonCode: string;
            requiredApprovals: number;
            requiresApproval: boolean;
            ruleId: string;
        };
        Error: {
            error: {
                code: string;
                details: unknown[];
                message: string;
            };
        };
        Me: {
            groups: string[];
            principal: string;
            roles: string[];
        };
        /** @description The result of the executed actions: reasonCode when refused or failed, steps (id, tool, status, result, error) and results by step id */
        Outcome: {
            [key: string]: unknown;
        };
        PendingApproval: {
            action: components["schemas"]["Action"];
            actionDigest: string;
            approvals: components["schemas"]["ApprovalRecord"][];
            /** @description When the request escalates to the escalation group (time left = escalateAt - now) */
            escalateAt: string;
            /** @description True once escalated: members of the escalation group may approve too */
            escalated: boolean;
            evidence: components["schemas"]["ApprovalEvidence"] | null;
            /** @description When the request is auto-rejected with approval_timeout */
            expiresAt: string;
            group: string | null;
            problemId: string;
            requestedAt: string;
            requiredApprovals: number;
            submittedBy: string;
            type: components["schemas"]["ProblemTypeName"] | null;
        };
        PendingApprovalPage: {
            items: components["schemas"]["PendingApproval"][];
            nextCursor: string | null;
        };
        /** @description Claims of plan_change: A customer wants to change (upgrade, downgrade or switch) their mobile or fiber plan to another plan. */
        PlanChangeClaims: {
            /** @description Customer account id, e.g. ACC-1001 */
            accountId: string;
            /**
             * Format: date
             * @description Date the change should take effect (YYYY-MM-DD); today when not given
             */
            effectiveDate?: string;
            /** @description Plan code the customer wants to move to, upper case, e.g. MOB-599 or FIBER-300 */
            targetPlan: string;
        };
        Problem: {
            approval: {
                action: components["schemas"]["Action"];
                actionDigest: string;
                approvals: components["schemas"]["ApprovalRecord"][];
                escalateAt: string;
                escalated: boolean;
                expiresAt: string;
                group: string | null;
                requestedAt: string;
                requiredApprovals: number;
            } | null;
            channel: string;
            clarification: {
                missingFields: string[];
                question: string;
                reasonCode: string;
                round: number;
            } | null;
            createdAt: string;
            customerId: string | null;
            decision: components["schemas"]["Decision"] | null;
            entities: components["schemas"]["ProblemEntities"] | null;
            id: string;
            outcome: components["schemas"]["Outcome"] | null;
            status: components["schemas"]["ProblemStatus"];
            submittedBy: string;
            type: components["schemas"]["ProblemTypeName"] | null;
            updatedAt: string;
            usage: {
                completionTokens: number;
                llmCalls: number;
                promptTokens: number;
            };
        };
        /** @description The claims of the problem's type, as validated */
        ProblemEntities: components["schemas"]["BillingDisputeClaims"] | components["schemas"]["ConnectivityIssueClaims"] | components["schemas"]["PlanChangeClaims"] | components["schemas"]["AccessRequestClaims"];
        ProblemPage: {
            items: components["schemas"]["ProblemSummary"][];
            nextCursor: string | null;
        };
        /** @enum {string} */
        ProblemStatus: "received" | "extracting" | "needs_clarification" | "awaiting_approval" | "executing" | "active" | "completed" | "rejected" | "failed";
        /** @enum {string} */
        ProblemStatusInput: "received" | "extracting" | "needs_clarification" | "awaiting_approval" | "executing" | "active" | "completed" | "rejected" | "failed";
        ProblemSummary: {
            closedAt: string | null;
            createdAt: string | null;
            customerId: string | null;
            id: string;
            requiresApproval: boolean | null;
            status: string | null;
            submittedBy: string | null;
            type: components["schemas"]["ProblemTypeName"] | null;
        };
        /**
         * @description A registered problem type
         * @enum {string}
         */
        ProblemTypeName: "billing_dispute" | "connectivity_issue" | "plan_change" | "access_request";
        Simulation: {
            /** @description Worker builds that recorded those decisions, with how many each */
            baselineBuilds: {
                [key: string]: number;
            };
            /** @description Policy versions the replayed decisions were made under, with how many each */
            baselineVersions: {
                [key: string]: number;
            };
            changed: number;
            evaluated: number;
            items: {
                after: components["schemas"]["DecisionSummary"];
                baselineVersion: string;
                before: components["schemas"]["DecisionSummary"];
                buildId: string;
                changed: boolean;
                problemId: string;
                status: string;
                type: string;
            }[];
            /** @description Problems the window and types matched; more than `limit` means only the most recent were replayed */
            matched: number;
            /** @enum {string} */
            mode: "inline" | "workflow";
            policyVersion: string;
            /** @description Workflow id of a simulation run as a Temporal workflow */
            simulationId: string | null;
            skipped: number;
            totals: {
                approvalsAfter: number;
                approvalsBefore: number;
                approvalsDelta: number;
                autoCreditedAfter: number;
                autoCreditedBefore: number;
                autoCreditedDelta: number;
                byType: {
                    [key: string]: components["schemas"]["SimulationTally"];
                };
                requiredApprovalsDelta: number;
                skippedByReason: {
                    [key: string]: number;
                };
            };
        };
        SimulationRequestInput: {
            /**
             * @description Most problems replayed, most recent first
             * @default 1000
             */
            limit?: number;
            /** @description A candidate policy file, validated exactly as POLICY_FILE is */
            policy: unknown;
            /** @description Problems started at or after this instant or date (default: 30 days ago) */
            since?: string;
            /** @description Only these problem types; each of their problems is reported in items */
            types?: string[];
            /** @description Problems started before this instant or date (default: now) */
            until?: string;
        };
        SimulationTally: {
            approvalsAfter: number;
            approvalsBefore: number;
            approvalsDelta: number;
            autoCreditedAfter: number;
            autoCreditedBefore: number;
            autoCreditedDelta: number;
            changed: number;
            evaluated: number;
            requiredApprovalsDelta: number;
            skipped: number;
        };
        SubmitProblemInput: {
            /**
             * @default api
             * @enum {string}
             */
            channel?: "web" | "email" | "chat" | "api";
            customerId?: string;
            /** @description The problem in the submitter's words */
            text: string;
        };
        SubmittedProblem: {
            id: string;
            links: {
                audit: string;
                self: string;
            };
            status: components["schemas"]["ProblemStatus"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {boolean} */
                        ok: true;
                    };
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                        temporal: boolean;
                        workerPolling: boolean;
                    };
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                        temporal: boolean;
                        workerPolling: boolean;
                    };
                };
            };
        };
    };
    listPendingApprovals: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PendingApprovalPage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentPolicy"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    simulatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SimulationRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Simulation"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body over the size limit (body_too_large) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body of a content type other than JSON (unsupported_media_type) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProblems: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: components["schemas"]["ProblemStatusInput"];
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProblemPage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitProblem: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitProblemInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmittedProblem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body of a content type other than JSON (unsupported_media_type) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProblem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decideApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalDecisionInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body of a content type other than JSON (unsupported_media_type) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProblemAudit: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Audit"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    answerClarification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClarificationInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body of a content type other than JSON (unsupported_media_type) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests (rate_limited); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (internal_error); no internals are shown */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
