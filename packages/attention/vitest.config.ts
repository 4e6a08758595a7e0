import { dlProject } from '../../vitest.shared.js';

export default dlProject();
