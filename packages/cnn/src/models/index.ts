// Architecture builders with torchvision's layer names, so PyTorch state dicts load by name.
export { ConnectionTableConv2d } from './connection-table-conv2d.js';
export type { ConnectionTableConv2dOptions } from './connection-table-conv2d.js';
export { LENET5_C3_TABLE, LeNet5, ScaledTanh, lenet5 } from './lenet.js';
export type { LeNet5Options, LeNet5Variant } from './lenet.js';
export { AlexNet, alexnet } from './alexnet.js';
export type { AlexNetOptions, AlexNetVariant } from './alexnet.js';
export { VGG, VGG_CONFIGS, vgg, vgg11, vgg13, vgg16, vgg19, vggFeatures } from './vgg.js';
export type { VggConfig, VggDepth, VggFeaturesOptions, VggOptions } from './vgg.js';
export { BasicConv2d, GoogLeNet, Inception, InceptionAux, googlenet, googlenetLoss } from './googlenet.js';
export type {
  BasicConv2dOptions,
  GoogLeNetLossOptions,
  GoogLeNetOptions,
  GoogLeNetOutputs,
  GoogLeNetVariant,
  InceptionAuxOptions,
  InceptionOptions,
} from './googlenet.js';
export {
  BasicBlock,
  Bottleneck,
  CifarResNet,
  RESNET_CONFIGS,
  ResNet,
  ZeroPadShortcut,
  resnet,
  resnet101,
  resnet152,
  resnet18,
  resnet34,
  resnet50,
  resnetCifar,
} from './resnet.js';
export type { CifarResNetOptions, ResNetDepth, ResNetOptions, ResidualBlockOptions, Shortcut, ShortcutKind } from './resnet.js';
