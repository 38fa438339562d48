// What the HTTP connection manager needs of route configurations: the current compiled table by name.
// RDS updates swap tables atomically; a request keeps the table it started with.

export interface RouteTableProvider<Table> {
  /** Undefined until the named RouteConfiguration has arrived. */
  routeTable(name: string): Table | undefined;
}
