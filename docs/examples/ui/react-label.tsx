// React: a label and an input bound with useSyncExternalStore.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { createDisplay, createInput, type ExternalStore } from 'tk-core/ui';

/** Any tk-core/ui controller as React state: re-renders only when its snapshot changes. */
export function useController<S>(controller: ExternalStore<S>): S {
  const subscribe = useCallback((onChange: () => void) => controller.subscribe(onChange), [controller]);
  const getSnapshot = useCallback(() => controller.getSnapshot(), [controller]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

export function AttributeLabel({ model }: { model: string }) {
  const [display] = useState(() => createDisplay(model));
  useEffect(() => () => display.dispose(), [display]);
  const s = useController(display);
  return (
    <span title={s.tooltip} style={{ background: s.background.css, color: s.foreground.css }}>
      {s.text}
    </span>
  );
}

export function AttributeInput({ model }: { model: string }) {
  const [input] = useState(() => createInput(model));
  useEffect(() => () => input.dispose(), [input]);
  const s = useController(input);
  return (
    <input
      value={s.text}
      title={s.problem ?? ''}
      style={{ color: s.style === 'pending' ? 'blue' : s.style === 'invalid' ? 'gray' : 'black' }}
      onChange={(e) => input.edit(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void input.apply();
        if (e.key === 'Escape') input.reset();
      }}
    />
  );
}
