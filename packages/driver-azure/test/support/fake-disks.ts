/**
 * Disks_CreateOrUpdate and Disks_Delete for the nock ARM fake (fake-arm.ts), as the
 * documented examples answer them: a PUT 200 with the disk (provisioningState
 * Updating) and `Azure-AsyncOperation`, Succeeded once its operation ends; a PUT of
 * an existing name updates its tags in place; a DELETE 202, 204 when there is none,
 * and Compute's 409 OperationNotAllowed while a VM holds the disk.
 */
type Json = Record<string, unknown>;

/** The part of a fake disk these calls read and write. */
export interface FakeDisk {
  name: string;
  id: string;
  zone: string | undefined;
  sizeGiB: number;
  managedBy: string | undefined;
  forced: 'error' | 'stuck' | undefined;
  tags?: Record<string, string>;
  /** While its create or delete operation runs. */
  state?: 'Updating' | 'Deleting';
}

/** What the fake lends these calls: its disks, its LRO helper, and its reply for errors. */
export interface FakeDiskHost {
  readonly disks: Map<string, FakeDisk>;
  readonly idOf: (name: string) => string;
  lro(status: number, body: unknown, resource: string, finish: () => undefined): FakeReply;
  json(disk: FakeDisk): Json;
}

type FakeReply = { status: number; body?: unknown; headers?: Record<string, string> };

const refuse = (status: number, code: string, message: string): FakeReply => ({
  status,
  body: { error: { code, message } },
});

/** A disk PUT or DELETE; undefined for any other method. */
export function diskWrite(
  host: FakeDiskHost,
  method: string,
  name: string,
  body: Json,
): FakeReply | undefined {
  const key = name.toLowerCase();
  const existing = host.disks.get(key);
  if (method === 'PUT') {
    if (existing) {
      if (body.tags !== undefined) existing.tags = body.tags as Record<string, string>;
      return { status: 200, body: host.json(existing) };
    }
    const size = body.diskSizeGB ?? (body.properties as Json | undefined)?.diskSizeGB;
    if (typeof size !== 'number')
      return refuse(400, 'InvalidParameter', "Required parameter 'diskSizeGB' is missing (null).");
    const zones = body.zones as string[] | undefined;
    const disk: FakeDisk = {
      name,
      id: host.idOf(name),
      zone: zones?.[0],
      sizeGiB: size,
      managedBy: undefined,
      forced: undefined,
      tags: (body.tags as Record<string, string> | undefined) ?? {},
      state: 'Updating',
    };
    host.disks.set(key, disk);
    return host.lro(200, host.json(disk), `disk:${key}`, () => {
      delete disk.state;
      return undefined;
    });
  }
  if (method === 'DELETE') {
    if (!existing) return { status: 204 };
    if (existing.managedBy !== undefined)
      return refuse(
        409,
        'OperationNotAllowed',
        `Disk ${existing.name} is attached to VM ${existing.managedBy}.`,
      );
    existing.state = 'Deleting';
    return host.lro(202, undefined, `disk:${key}`, () => {
      host.disks.delete(key);
      return undefined;
    });
  }
  return undefined;
}
