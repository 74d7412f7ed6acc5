// The admin account that playwright.config.ts creates before the server
// starts, for the admin app's tests.
export const ADMIN_EMAIL = 'admin-e2e@example.com';
export const ADMIN_PASSWORD = 'admin-e2e-password-42';
