// The API reference at /docs: Swagger UI, bundled here (no CDN), over this server's own openapi.yaml. Its try-it
// requests go to the server that serves the page (the spec's `servers` entry names the default port, which need not
// be this one), with the console's API key when one is stored in this tab.
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './docs.css';
import { parse } from 'yaml';
import { API_KEY_ITEM } from '../src/api/session-keys.js';

async function main(): Promise<void> {
  const root = document.getElementById('swagger-ui')!;
  const response = await fetch('/openapi.yaml', { headers: { accept: 'application/yaml' } });
  if (!response.ok) {
    root.textContent = `Could not load /openapi.yaml: HTTP ${response.status}`;
    return;
  }
  const spec = parse(await response.text()) as { servers?: { url: string; description?: string }[] };
  spec.servers = [{ url: location.origin, description: 'This server' }];
  root.textContent = '';
  const ui = SwaggerUIBundle({
    spec,
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    persistAuthorization: false,
  });
  let key: string | null = null;
  try {
    key = sessionStorage.getItem(API_KEY_ITEM);
  } catch {
    key = null;
  }
  if (key) ui.preauthorizeApiKey('bearerAuth', key);
}

void main();
