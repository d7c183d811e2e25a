// The soak's second phase: two brokers per cloud repeat each other's calls and race
// for one volume, as two replicas of the arbitrator do after a crash or a failover.
// Counts what the audit cannot see afterwards: creates that returned another server,
// races with other than one winner, losers whose code was not `conflict`.

/** Runs `rounds` rounds per platform (all platforms at once) and returns the tallies. */
export async function twoBrokerPhase(platforms, { rounds, op }) {
  const tally = {
    rounds: 0,
    sameServer: 0,
    otherServer: 0,
    oneWinner: 0,
    notOneWinner: 0,
    loserConflict: 0,
    loserOther: [],
  };
  await Promise.all(
    platforms.flatMap((platform) => Array.from({ length: rounds }, (_, n) => round(platform, n, tally, op))),
  );
  return tally;
}

async function round(platform, n, tally, op) {
  const { driver: a, second: b } = platform;
  tally.rounds++;
  const servers = [];
  for (const [first, repeat, suffix] of [
    [a, b, 'x'],
    [b, a, 'y'],
  ]) {
    const key = `pair-${platform.name}-${n}-${suffix}`;
    const request = { name: key, ...platform.create };
    // one broker sends the create and returns at once; the other repeats it and waits
    const sent = await op(platform, () => first.createServer(request, { idempotencyKey: key, wait: false }));
    const done = await op(platform, () => repeat.createServer(request, { idempotencyKey: key }));
    if (sent && done) {
      if (sent.id === done.id) tally.sameServer++;
      else tally.otherServer++;
    }
    if (done) servers.push(done.id);
  }
  const volumeId = platform.volume();
  if (servers.length === 2) {
    const outcomes = await Promise.allSettled([
      a.attachVolume({ serverId: servers[0], volumeId }),
      b.attachVolume({ serverId: servers[1], volumeId }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    if (won === 1) tally.oneWinner++;
    else tally.notOneWinner++;
    for (const o of outcomes) {
      if (o.status !== 'rejected') continue;
      if (o.reason?.code === 'conflict') tally.loserConflict++;
      else if (tally.loserOther.length < 5)
        tally.loserOther.push(`${platform.name}: ${o.reason?.code} ${o.reason?.message}`);
    }
  }
  // Whoever holds it: one broker starts the detach, the other repeats it and waits.
  const volume = await op(platform, () => a.getVolume({ volumeId }));
  for (const attachment of volume?.attachments ?? []) {
    const pair = { serverId: attachment.serverId, volumeId };
    await op(platform, () => a.detachVolume(pair, { wait: false }));
    (await op(platform, () => b.detachVolume(pair))) ?? (await op(platform, () => a.detachVolume(pair)));
  }
  for (const serverId of servers) {
    await op(platform, () => b.deleteServer({ serverId }, { wait: false }));
    (await op(platform, () => a.deleteServer({ serverId }))) ??
      (await op(platform, () => b.deleteServer({ serverId })));
  }
}
