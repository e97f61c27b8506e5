/**
 * brood's public API: what test files import (`import { HttpUser, task, between } from 'brood'`).
 * Only re-exports live here; no side effects at import.
 */
export { User, TaskSet, SequentialTaskSet, MarkovTaskSet, type UserEnvironment, type TaskSetParent } from './core/user.js';
export { HttpUser, HttpUser as FastHttpUser } from './http/http-user.js';
export { WebSocketUser } from './ws/ws-user.js';
export type { WsSession, WsMessage, WsConnectOptions, WsSendOptions, WsWaitOptions } from './ws/ws-session.js';
export { task, tag, transition, transitions, type TaskMethod, type MethodMarker } from './core/task-decorators.js';
export { between, constant, constantPacing, constantThroughput, type WaitTimeFn, type WaitTimeSubject } from './core/wait-time.js';
export { LoadShape, type ShapeTick, type ShapeRunView, type ShapeStage } from './core/shape.js';
export { Rng } from './core/rng.js';
export { Hook, type Hooks, type RequestEvent, type RunEnvironment } from './core/hooks.js';
export { events } from './core/events.js';
export type { CustomMessage, CustomMessageListener } from './core/custom-messages.js';
export { Runner, LocalRunner, MasterRunner, WorkerRunner, STATE_INIT, STATE_SPAWNING, STATE_RUNNING, STATE_CLEANUP, STATE_STOPPING, STATE_STOPPED, STATE_MISSING, type RunnerView, type RunnerState } from './core/runner-view.js';
export { InterruptTaskSet, StopUser, RescheduleTask, RescheduleTaskImmediately } from './core/user-signals.js';
export { runSingleUser, type SingleUserOptions, type SingleUserResult } from './runner/closed/single-user.js';
export type { Target, TargetMetric, TargetComparator, TargetResult } from './core/targets.js';
export { HttpSession, type RequestOptions } from './http/client.js';
export type { RestResponse, RestCheck } from './http/rest-call.js';
export type { BasicAuth } from './http/request-options.js';
export type { FileField, FileFields, FormFields, FormValue } from './http/request-body.js';
export type { SessionCookies, CookieInfo, CookieScope, SetCookieFields } from './http/cookie-jar.js';
export { BroodResponse, BodyTooLargeError, HttpError, type ResponseHeaders, type RedirectHop } from './http/response.js';
export { defineScenario, type Scenario, type ScenarioLoad } from './core/scenario.js';
export type { ArrivalPatternSpec } from './core/arrival-pattern.js';
export type { ArrivalDeclaration } from './core/open-pool-limits.js';
export { ConfigError, ConfigErrors } from './core/errors.js';
export { ErrorCodes, ConfigErrorCodes, ResponseErrorCodes, type ErrorCode, type ConfigErrorCode, type ResponseErrorCode } from './core/error-codes.js';
export type { EntrySummary, HistoryPoint } from './stats/types.js';
export type { TomlScenario, OperationName } from './core/toml-scenario.js';
export { GrpcUser, type GrpcProtoFiles, type GrpcSession, type GrpcMessage, type GrpcCallOptions, type GrpcServerStream, type GrpcClientStream, type GrpcBidiStream } from './grpc/grpc-user.js';
