import { Ec2ApiError } from './ec2-model.js';

/**
 * The form fields of one EC2 Query API request (`Action=RunInstances&ImageId=...`),
 * with EC2's list (`InstanceId.1`) and structure (`Placement.AvailabilityZone`) conventions.
 */
export class Ec2Query {
  readonly #fields: URLSearchParams;
  constructor(fields: URLSearchParams) {
    this.#fields = fields;
  }

  /** From a form-urlencoded body, or from fields already parsed into an object (nock does that). */
  static from(body: string | Readonly<Record<string, unknown>>): Ec2Query {
    if (typeof body === 'string') return new Ec2Query(new URLSearchParams(body));
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) params.set(key, String(value));
    return new Ec2Query(params);
  }

  /** The action named by the request. */
  get action(): string {
    return this.#fields.get('Action') ?? '';
  }

  /** An optional field. */
  get(name: string): string | undefined {
    return this.#fields.get(name) ?? undefined;
  }

  /** A required field; `MissingParameter` as EC2 says it. */
  require(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') {
      throw new Ec2ApiError('MissingParameter', `The request must contain the parameter ${name}`);
    }
    return value;
  }

  /** `Name.1`, `Name.2`, ... in order. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; this.#fields.has(`${name}.${i}`); i++) out.push(this.#fields.get(`${name}.${i}`) ?? '');
    return out;
  }

  /** `Filter.N.Name` with its `Filter.N.Value.M` values, by name. */
  filters(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (let n = 1; this.#fields.has(`Filter.${n}.Name`); n++) {
      out.set(this.#fields.get(`Filter.${n}.Name`) ?? '', this.list(`Filter.${n}.Value`));
    }
    return out;
  }

  /** Tags of the TagSpecification for `resourceType` (`TagSpecification.N.Tag.M.Key/Value`). */
  tagsFor(resourceType: string): Map<string, string> {
    const tags = new Map<string, string>();
    for (let n = 1; this.#fields.has(`TagSpecification.${n}.ResourceType`); n++) {
      if (this.#fields.get(`TagSpecification.${n}.ResourceType`) !== resourceType) continue;
      for (let m = 1; this.#fields.has(`TagSpecification.${n}.Tag.${m}.Key`); m++) {
        tags.set(
          this.#fields.get(`TagSpecification.${n}.Tag.${m}.Key`) ?? '',
          this.#fields.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '',
        );
      }
    }
    return tags;
  }
}
