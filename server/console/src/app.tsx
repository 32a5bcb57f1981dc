import { useEffect, useState } from 'preact/hooks';
import { session } from './api/session.js';
import { KeyPrompt } from './components/key-prompt.js';
import { DatasetsPage } from './pages/datasets.js';
import { JobDetailPage } from './pages/job-detail.js';
import { JobNewPage } from './pages/job-new.js';
import { JobsPage } from './pages/jobs.js';
import { ModelDetailPage } from './pages/model-detail.js';
import { ModelsPage } from './pages/models.js';
import { PlaygroundPage } from './pages/playground.js';
import { TrafficPage } from './pages/traffic.js';
import { Link, match, useLocation } from './router.js';

const NAV = [
  { to: '/models', label: 'Models' },
  { to: '/playground', label: 'Playground' },
  { to: '/datasets', label: 'Datasets' },
  { to: '/jobs', label: 'Training' },
  { to: '/traffic', label: 'Traffic' },
];

function Page({ path }: { path: string }) {
  let p: Record<string, string> | null;
  if (path === '/' || path === '/models') return <ModelsPage />;
  if ((p = match('/models/:name', path))) return <ModelDetailPage name={p.name!} />;
  if (path === '/playground') return <PlaygroundPage />;
  if ((p = match('/playground/:name', path))) return <PlaygroundPage name={p.name!} />;
  if (path === '/datasets') return <DatasetsPage />;
  if (path === '/jobs') return <JobsPage />;
  if (path === '/jobs/new') return <JobNewPage />;
  if ((p = match('/jobs/:id', path))) return <JobDetailPage id={p.id!} />;
  if (path === '/traffic') return <TrafficPage />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        The console has no page <code>{path}</code>. <Link to="/models">Go to the models</Link>.
      </p>
    </section>
  );
}

export function App() {
  const { path } = useLocation();
  const [, setTick] = useState(0);
  const [keyOpen, setKeyOpen] = useState(false);
  useEffect(
    () =>
      session.subscribe(() => {
        setTick((n) => n + 1);
        if (session.authProblem) setKeyOpen(true);
      }),
    [],
  );
  useEffect(() => {
    const section = NAV.find((n) => path.startsWith(n.to))?.label;
    document.title = section ? `${section} · MaaS console` : 'MaaS console';
  }, [path]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link to="/models" class="brand">
          MaaS
        </Link>
        <nav aria-label="Console">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link
                  to={n.to}
                  aria-current={path.startsWith(n.to) || (n.to === '/models' && path === '/') ? 'page' : undefined}
                >
                  {n.label}
                </Link>
              </li>
            ))}
            <li>
              <a href="/docs">API reference</a>
            </li>
          </ul>
        </nav>
        <button type="button" class="key-button" onClick={() => setKeyOpen(true)} data-testid="key-button">
          {session.hasKey ? 'API key ✓' : 'API key'}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
      <KeyPrompt open={keyOpen} onClose={() => setKeyOpen(false)} />
    </>
  );
}
