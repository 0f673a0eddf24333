import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { GraphQLScalarType, Kind } from 'graphql';
import { builder } from './builder.ts';

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);

/** Money and other exact amounts travel as strings ("19.90"), never as floats. */
builder.addScalarType(
  'Decimal',
  new GraphQLScalarType({
    name: 'Decimal',
    description: 'An exact decimal amount as a string, e.g. "19.90".',
    serialize: (value) => withCents(String(value)),
    parseValue: (value) => {
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) throw new TypeError('Decimal must be a string such as "19.90"');
      return value;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING || !/^-?\d+(\.\d+)?$/.test(ast.value)) throw new TypeError('Decimal must be a string such as "19.90"');
      return ast.value;
    },
  }),
);

/** "39.9" → "39.90", "40" → "40.00"; more decimals are kept as stored. */
function withCents(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
