import { preloadCommands } from '../src/shell/commands';

await preloadCommands();
