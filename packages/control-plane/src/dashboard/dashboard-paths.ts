// Where the control plane serves the dashboard, and what it says when the app was not built.

/** The same as @heddle/dashboard's DASHBOARD_BASE_PATH, which Vite builds the app with. */
export const DASHBOARD_PATH = '/dashboard/';

export const DASHBOARD_NOT_BUILT = 'the dashboard is not built: run `npm run generate -w @heddle/dashboard`';
