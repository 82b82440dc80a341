import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LicenseLine } from '../api/types.ts';

export function lineLabel(line: LicenseLine): string {
  return `${line.name ?? line.productKey}${line.plan ? ` (${line.plan})` : ''}`;
}

/** Seats bought, used and remaining per product and plan. Unlimited plans show no bought bar. */
export function LicenseChart(props: { lines: LicenseLine[] }): ReactNode {
  const data = props.lines.map((line) => ({
    name: lineLabel(line),
    bought: line.seatsTotal,
    used: line.seatsUsed,
    remaining: line.seatsRemaining,
  }));
  return (
    <div data-testid="license-chart" style={{ width: '100%', height: 320 }}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" interval={0} tick={{ fontSize: 11 }} height={40} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="bought" name="Seats bought" fill="#228be6" />
          <Bar dataKey="used" name="Seats used" fill="#fa5252" />
          <Bar dataKey="remaining" name="Seats remaining" fill="#40c057" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
