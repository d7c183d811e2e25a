import nock from 'nock';

/** The EC2 endpoint of us-east-1, where the SDK sends requests when no endpoint is configured. */
export const EC2_ENDPOINT = 'https://ec2.us-east-1.amazonaws.com';

/** A scripted reply: status and XML, or a function of the request's form fields. */
export type Ec2Script = (fields: Record<string, string>) => [number, string];

/**
 * Routes every EC2 request by its `Action` to a script, and records the form
 * fields of each, so tests can count requests and read what was sent.
 */
export function mockEc2(scripts: Record<string, Ec2Script>): { calls: Record<string, string>[] } {
  const calls: Record<string, string>[] = [];
  nock(EC2_ENDPOINT)
    .persist()
    .post('/')
    .reply(async (request: Request) => {
      const fields = Object.fromEntries(new URLSearchParams(await request.text()));
      calls.push(fields);
      if (fields.Action === 'DescribeInstances' && fields['Filter.1.Name']?.startsWith('tag:')) {
        // the create's look-up by its idempotency tag: no earlier instance, unless a test scripts one
        const lookup = scripts.DescribeInstancesByTag;
        const xml = lookup
          ? lookup(fields)[1]
          : '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>lookup</requestId><reservationSet/></DescribeInstancesResponse>';
        return [200, xml, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': 'lookup' }];
      }
      const script = scripts[fields.Action ?? ''];
      if (!script)
        return [
          400,
          `<Response><Errors><Error><Code>InvalidAction</Code><Message>unscripted ${fields.Action}</Message></Error></Errors><RequestID>x</RequestID></Response>`,
        ];
      const [status, xml] = script(fields);
      // EC2 sends the request id in the body and, like every AWS API, in x-amzn-requestid (the SDK reads the header).
      const requestId = /<requestid>([^<]+)</i.exec(xml)?.[1] ?? 'none';
      return [status, xml, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }];
    });
  return { calls };
}

/** Counts the calls of one action. */
export const countOf = (calls: Record<string, string>[], action: string): number =>
  calls.filter((c) => c.Action === action).length;
