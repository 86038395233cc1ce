// JUnit XML for CI: one test case per strategy expectation; a failed expectation is a <failure>,
// an inconclusive strategy an <error> (it never passes), no expectation <skipped/>.

import type { Report, StrategyReport } from './build-report.js';
import { describeExpectation, describeOutcome } from './wording.js';

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function testCase(report: Report, strategy: StrategyReport): string {
  const expected = strategy.expected === null ? 'no expectation' : `expected ${describeExpectation(strategy.expected)}`;
  const name = `${strategy.name}: ${expected}`;
  const seconds = (report.params.observedMs * report.timeScale) / 1000;
  const outcome = describeOutcome(strategy.outcome, strategy.kills);
  const details = xml([`outcome: ${outcome}`, ...strategy.why].join('\n'));
  const open = `    <testcase classname="starve-lab.${xml(report.scenario)}" name="${xml(name)}" time="${seconds.toFixed(3)}">`;
  if (strategy.expected === null) return `${open}<skipped/></testcase>`;
  if (strategy.outcome === 'inconclusive') return `${open}\n      <error message="${xml(`inconclusive: ${strategy.why.join(' ')}`)}">${details}</error>\n    </testcase>`;
  if (strategy.met === false) return `${open}\n      <failure message="${xml(`${strategy.name} was ${outcome}, ${expected}`)}">${details}</failure>\n    </testcase>`;
  return `${open}<system-out>${details}</system-out></testcase>`;
}

export function renderJunit(report: Report): string {
  const cases = report.strategies.map((s) => testCase(report, s));
  const failures = report.strategies.filter((s) => s.expected !== null && s.met === false && s.outcome !== 'inconclusive').length;
  const errors = report.strategies.filter((s) => s.expected !== null && s.outcome === 'inconclusive').length;
  const skipped = report.strategies.filter((s) => s.expected === null).length;
  const seconds = ((report.params.observedMs * report.timeScale) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="starve-lab" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="starve-lab ${xml(report.scenario)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}" timestamp="${xml(report.params.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
