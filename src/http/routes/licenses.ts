// Licenses: seats per product with the money idle billable seats cost, and the seat prices behind it.
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { licenseSummary } from '../../storage/inventory-reads.ts';
import { getSeatPrices, seatPricesSchema, setSeatPrices } from '../../storage/settings.ts';
import type { RouteDeps } from '../route-deps.ts';
import { errorResponses, idParam } from '../schemas.ts';

const licenseLineSchema = z.object({
  integrationId: z.string(),
  productKey: z.string(),
  name: z.string().nullable(),
  plan: z.string().nullable(),
  seatsTotal: z.number().nullable(),
  seatsUsed: z.number(),
  seatsRemaining: z.number().nullable(),
  assigned: z.number(),
  billableAssigned: z.number(),
  inactiveBillable: z.number(),
  pricePerSeat: z.number().nullable(),
  monthlyWaste: z.number().nullable(),
});

const pricesBody = z.object({ prices: seatPricesSchema });

/** Money in the seat price's unit, to the cent, without binary-float noise. */
const cents = (amount: number): number => Math.round(amount * 100) / 100;

export const licenseRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/licenses',
    {
      config: { permission: 'licenses:read' },
      schema: {
        tags: ['licenses'],
        querystring: z.object({
          integrationId: idParam.optional(),
          inactiveDays: z.coerce.number().int().min(0).max(36_500).optional(),
        }),
        response: {
          200: z.object({
            lines: z.array(licenseLineSchema),
            totals: z.object({ monthlyWaste: z.number(), inactiveBillable: z.number() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { integrationId, inactiveDays } = request.query;
      const [summary, prices] = await Promise.all([
        licenseSummary(app.db, {
          now: new Date().toISOString(),
          inactiveDays: inactiveDays ?? app.config.inactiveDays,
          ...(integrationId === undefined ? {} : { integrationId }),
        }),
        getSeatPrices(app.db),
      ]);
      const lines = summary.map((line) => {
        const pricePerSeat = prices[line.productKey] ?? null;
        return {
          ...line,
          pricePerSeat,
          monthlyWaste: pricePerSeat === null ? null : cents(pricePerSeat * line.inactiveBillable),
        };
      });
      return {
        lines,
        totals: {
          monthlyWaste: cents(lines.reduce((sum, l) => sum + (l.monthlyWaste ?? 0), 0)),
          inactiveBillable: lines.reduce((sum, l) => sum + l.inactiveBillable, 0),
        },
      };
    },
  );

  server.get(
    '/settings/seat-prices',
    {
      config: { permission: 'licenses:read' },
      schema: { tags: ['licenses'], response: { 200: pricesBody, ...errorResponses } },
    },
    async () => ({ prices: await getSeatPrices(app.db) }),
  );

  server.put(
    '/settings/seat-prices',
    {
      config: { permission: 'settings:write' },
      schema: { tags: ['licenses'], body: pricesBody, response: { 200: pricesBody, ...errorResponses } },
    },
    async (request) => {
      const prices = await setSeatPrices(app.db, request.body.prices, new Date().toISOString());
      request.log.info({ products: Object.keys(prices).length }, 'seat prices changed');
      return { prices };
    },
  );
  done();
};
