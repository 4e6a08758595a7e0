// LambdaLR: torch.optim.lr_scheduler.LambdaLR.
import { LambdaLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch } from './helpers.js';

matchesPyTorch('LambdaLR');

drivesEveryOptimizer('LambdaLR', (o) => new LambdaLR(o, (t) => 1 / (1 + t * t)));
