import { escapeLabelValue } from '../store/labels';
import type { PromType } from '../store/naming';
import { escapeHelp, formatValue } from './formatValue';

/**
 * Accumulates a Prometheus text exposition (format 0.0.4) and counts the series (sample lines)
 * it wrote. Pipelines render into it; exporters serve the text.
 */
export class ExpositionWriter {
  private text = '';
  series = 0;

  family(name: string, type: PromType, help: string): void {
    if (help) this.text += `# HELP ${name} ${escapeHelp(help)}\n`;
    this.text += `# TYPE ${name} ${type}\n`;
  }

  /** `labels` is pre-rendered `a="1",b="2"` (may be empty). */
  sample(name: string, labels: string, value: number): void {
    this.text += labels === '' ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`;
    this.series++;
  }

  histogram(name: string, labels: string, bounds: readonly number[], counts: readonly number[], sum: number, count: number): void {
    const sep = labels === '' ? '' : ',';
    let cum = 0;
    for (let i = 0; i < bounds.length; i++) {
      cum += counts[i];
      this.text += `${name}_bucket{${labels}${sep}le="${formatValue(bounds[i])}"} ${formatValue(cum)}\n`;
    }
    this.text += `${name}_bucket{${labels}${sep}le="+Inf"} ${formatValue(count)}\n`;
    this.series += bounds.length + 1;
    this.sample(`${name}_sum`, labels, sum);
    this.sample(`${name}_count`, labels, count);
  }

  summary(name: string, labels: string, quantiles: ReadonlyArray<[number, number]> | undefined, sum: number, count: number): void {
    if (quantiles) {
      const sep = labels === '' ? '' : ',';
      for (const [q, v] of quantiles) {
        this.text += `${name}{${labels}${sep}quantile="${escapeLabelValue(formatValue(q))}"} ${formatValue(v)}\n`;
        this.series++;
      }
    }
    this.sample(`${name}_sum`, labels, sum);
    this.sample(`${name}_count`, labels, count);
  }

  toString(): string {
    return this.text;
  }
}
