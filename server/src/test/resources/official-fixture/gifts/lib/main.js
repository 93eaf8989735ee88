import { attachEmitter } from '/sdk/component.js';
attachEmitter({ onInit() {} }, { rpc: true });
