// Per-host outlier detection state: consecutive error counters, the ejection, and this interval's tallies
// for the success-rate and failure-percentage detectors.

export class HostOutlierState {
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  consecutiveLocalOriginFailure = 0;
  ejected = false;
  ejectedAt = 0;
  /** The ejection multiplier: grows with each ejection, shrinks for each healthy interval. */
  ejections = 0;
  /** When the host last returned (or last had its multiplier eased). */
  healthySince = 0;
  intervalRequests = 0;
  intervalSuccesses = 0;

  resetInterval(): void {
    this.intervalRequests = 0;
    this.intervalSuccesses = 0;
  }
}
