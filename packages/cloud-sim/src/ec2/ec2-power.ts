import type { Ec2Cloud } from './ec2-cloud.js';
import { Ec2ApiError, type InstanceStateName } from './ec2-model.js';
import type { Ec2Query } from './ec2-query.js';
import { el, items, response, stateXml, type Xml } from './ec2-xml.js';

interface PowerRule {
  /** States the change starts from. */
  readonly from: readonly InstanceStateName[];
  /** States left as they are, without an error: already there, or on the way. */
  readonly quiet: readonly InstanceStateName[];
  readonly to: 'running' | 'stopped';
  readonly verb: string;
}

const RULES: Readonly<Record<'start' | 'stop', PowerRule>> = {
  start: { from: ['stopped'], quiet: ['pending', 'running'], to: 'running', verb: 'started' },
  stop: { from: ['running'], quiet: ['stopping', 'stopped'], to: 'stopped', verb: 'stopped' },
};

/**
 * StartInstances / StopInstances of every id given, as EC2 answers them: `previousState` and
 * `currentState` per instance; an instance already there (or on its way) is left as it is,
 * one in another transition is `IncorrectInstanceState`. The change lands after `powerMs`.
 */
export function changePower(cloud: Ec2Cloud, q: Ec2Query, requestId: string, kind: 'start' | 'stop'): Xml {
  const ids = instanceIds(q);
  const rule = RULES[kind];
  const views = ids.map((id) => cloud.instance(id));
  for (const view of views) {
    if (!rule.from.includes(view.state) && !rule.quiet.includes(view.state))
      throw incorrectState(view.record.id, rule.verb);
  }
  const now = cloud.now();
  const changes = views.map((previous) => {
    if (rule.from.includes(previous.state)) {
      previous.record.powerChange = { to: rule.to, doneAt: now + cloud.durationOf('powerMs') };
      cloud.changes.record(previous.record.id, rule.to, previous.record.powerChange.doneAt, now);
    }
    return { previous, current: cloud.instance(previous.record.id) };
  });
  const action = kind === 'start' ? 'StartInstances' : 'StopInstances';
  return response(action, requestId, [
    items(
      'instancesSet',
      changes.map((c) => [
        el('instanceId', c.previous.record.id),
        stateXml('currentState', c.current.state),
        stateXml('previousState', c.previous.state),
      ]),
    ),
  ]);
}

/**
 * RebootInstances: EC2 queues the reboot of each running instance and answers `true`; the
 * instance stays `running` throughout (EC2 shows no state for a reboot). Any other state is
 * `IncorrectInstanceState`.
 */
export function rebootInstances(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  for (const id of instanceIds(q)) {
    if (cloud.instance(id).state !== 'running') throw incorrectState(id, 'rebooted');
  }
  return response('RebootInstances', requestId, [el('return', true)]);
}

function instanceIds(q: Ec2Query): string[] {
  const ids = q.list('InstanceId');
  if (ids.length === 0)
    throw new Ec2ApiError('MissingParameter', 'The request must contain the parameter InstanceId');
  return ids;
}

function incorrectState(id: string, verb: string): Ec2ApiError {
  return new Ec2ApiError(
    'IncorrectInstanceState',
    `The instance '${id}' is not in a state from which it can be ${verb}.`,
  );
}
