import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LagEpisode } from './lag-episode.js'

test('LagEpisode: one start per episode above the limit, one end when lag falls back to it or under', () => {
  const episode = new LagEpisode(60)
  const seen = [10, 60, 61, 90, 300, 75, 60, 5, 61, 20].map((lag, index) => episode.update(lag, index * 1000))
  assert.deepEqual(seen, [
    null,
    null, // at the limit is not above it
    { change: 'started' },
    null,
    null,
    null,
    { change: 'resolved', durationMs: 4000 },
    null,
    { change: 'started' },
    { change: 'resolved', durationMs: 1000 },
  ])
  assert.equal(episode.isActive, false)
})
