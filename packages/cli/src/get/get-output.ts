// The output formats of `heddle get`, kubectl's names for them.

export type GetOutput = 'table' | 'yaml' | 'json' | 'name';

export const GET_OUTPUTS: readonly GetOutput[] = ['table', 'yaml', 'json', 'name'];
