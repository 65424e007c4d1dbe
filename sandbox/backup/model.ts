// The vendored model is embedded by import (not read beside the module file) so the stand-in works the same
// under vitest, from source, and from an esbuild bundle of the sandbox.
import serviceModel from './model/service-2.json' with { type: 'json' };

/** Where a member travels on the wire (botocore model `location`); absent = the JSON body. */
export type MemberLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

/** A reference from a structure, list or map to a shape, with its wire traits. */
export interface MemberModel {
  readonly shape: string;
  readonly location?: MemberLocation;
  /** The wire name: path label, query key, header name, or (without location) the JSON key. */
  readonly locationName?: string;
  /** The SDK fills this member with a random UUID when the caller leaves it out. */
  readonly idempotencyToken?: boolean;
  readonly timestampFormat?: TimestampFormat;
  readonly documentation?: string;
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822';

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'blob';

/** One shape of the model, with every constraint AWS's front end checks on input. */
export interface ShapeModel {
  readonly type: ShapeType;
  readonly members?: Readonly<Record<string, MemberModel>>;
  readonly required?: readonly string[];
  /** The member that is the whole HTTP body (rest-json `payload`). */
  readonly payload?: string;
  readonly member?: MemberModel;
  readonly key?: MemberModel;
  readonly value?: MemberModel;
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly sensitive?: boolean;
  readonly timestampFormat?: TimestampFormat;
  readonly exception?: boolean;
  readonly fault?: boolean;
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean };
}

/** One operation: its HTTP binding and its input and output shapes. */
export interface OperationModel {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input?: { readonly shape: string };
  readonly output?: { readonly shape: string };
  readonly errors?: readonly { readonly shape: string }[];
  readonly idempotent?: boolean;
}

/** A botocore-style service model (only what the protocol reads). */
export interface ServiceModel {
  readonly metadata: { readonly protocol: string; readonly serviceId: string; readonly apiVersion: string };
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
}

/** Typed, checked access to a service model. */
export interface LoadedModel {
  readonly raw: ServiceModel;
  /** The operation of this name; throws for a name the model does not have. */
  operation(name: string): OperationModel;
  /** The shape of this name; throws for a name the model does not have. */
  shape(name: string): ShapeModel;
  /** Every operation name, in the model's order. */
  readonly operationNames: readonly string[];
}

/** Wraps a model in checked accessors (used for the Backup model and for small synthetic models in tests). */
export const indexModel = (raw: ServiceModel): LoadedModel => {
  const operationNames = Object.freeze(Object.keys(raw.operations));
  return {
    raw,
    operationNames,
    operation(name) {
      const operation = Object.hasOwn(raw.operations, name) ? raw.operations[name] : undefined;
      if (!operation) throw new Error(`the ${raw.metadata.serviceId} model has no operation ${name}`);
      return operation;
    },
    shape(name) {
      const shape = Object.hasOwn(raw.shapes, name) ? raw.shapes[name] : undefined;
      if (!shape) throw new Error(`the ${raw.metadata.serviceId} model has no shape ${name}`);
      return shape;
    },
  };
};

let backupModel: LoadedModel | undefined;

/** AWS's own model of AWS Backup (`model/service-2.json`), loaded once. */
export const loadBackupModel = (): LoadedModel => {
  backupModel ??= indexModel(serviceModel as unknown as ServiceModel);
  return backupModel;
};

/** Every AWS Backup operation name the model defines, in the model's order. */
export const operationNames = (): readonly string[] => loadBackupModel().operationNames;

/**
 * The input members of an operation marked `idempotencyToken: true` (StartBackupJob: `IdempotencyToken`,
 * CreateBackupPlan: `CreatorRequestId`...). The protocol accepts them absent, as AWS does, because the SDK
 * fills them with a random UUID; the domain uses this list to refuse a Start without one, on purpose
 * stricter than AWS: a random token is exactly the duplicate-job bug the toolkit must never have.
 */
export const idempotencyMembers = (operation: string, model: LoadedModel = loadBackupModel()): readonly string[] => {
  const input = model.operation(operation).input;
  if (!input) return [];
  const members = model.shape(input.shape).members ?? {};
  return Object.entries(members)
    .filter(([, member]) => member.idempotencyToken === true)
    .map(([name]) => name);
};

/**
 * The name AWS's front end uses for a member in validation messages: the wire name when the member has
 * one (`maxResults`, `backupVaultName`), else the member name with its first letter lower-cased
 * (`idempotencyToken`, `lifecycle`).
 */
export const wireName = (memberName: string, member: MemberModel): string =>
  member.locationName ?? memberName.charAt(0).toLowerCase() + memberName.slice(1);
