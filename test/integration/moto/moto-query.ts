/**
 * Direct EC2 Query API calls to moto for fixtures (volumes, an AMI id), so the
 * test needs no SDK of its own. moto reads the service and region from the
 * SigV4 credential scope and does not check the signature.
 */
const AUTH =
  'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0';

/** Sends one Query API action and returns the XML body; throws on an EC2 error. */
export async function motoQuery(
  endpoint: string,
  action: string,
  fields: Record<string, string>,
): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2016-11-15', ...fields });
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${action} failed with ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** The text of the first `<name>` element. */
export function firstElement(xml: string, name: string): string {
  const found = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
  if (found === undefined) throw new Error(`no <${name}> in moto's answer`);
  return found;
}
