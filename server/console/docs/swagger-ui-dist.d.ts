// swagger-ui-dist ships no types; the API reference page uses this much of its bundle.
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  interface SwaggerRequest {
    url: string;
    headers: Record<string, string>;
  }
  interface SwaggerUIOptions {
    url?: string;
    spec?: object;
    dom_id: string;
    deepLinking?: boolean;
    docExpansion?: 'list' | 'full' | 'none';
    defaultModelsExpandDepth?: number;
    displayRequestDuration?: boolean;
    tryItOutEnabled?: boolean;
    persistAuthorization?: boolean;
    requestInterceptor?: (request: SwaggerRequest) => SwaggerRequest;
    onComplete?: () => void;
  }
  interface SwaggerUI {
    preauthorizeApiKey(scheme: string, key: string): void;
  }
  const SwaggerUIBundle: (options: SwaggerUIOptions) => SwaggerUI;
  export default SwaggerUIBundle;
}
