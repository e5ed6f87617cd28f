import { createRoot } from 'react-dom/client';
import { startI18n } from './i18n.js';
import { App } from './App.js';
import './styles.css';

startI18n();
createRoot(document.getElementById('root')!).render(<App />);
