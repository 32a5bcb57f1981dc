/** Where the console keeps the API key for this tab (sessionStorage); the API reference page reads it too. */
export const API_KEY_ITEM = 'maas.console.apiKey';
