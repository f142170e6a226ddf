// The view library in one place: Preact with its hooks, and htm for templates without a build step.
import { h, render, Fragment } from '../vendor/preact/preact.module.js';
import { useState, useEffect, useMemo, useRef, useCallback, useContext } from '../vendor/preact/hooks.module.js';
import { createContext } from '../vendor/preact/preact.module.js';
import htm from '../vendor/htm/htm.module.js';

export const html = htm.bind(h);
export { h, render, Fragment, useState, useEffect, useMemo, useRef, useCallback, useContext, createContext };
