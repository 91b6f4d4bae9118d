// Vue 3: a label bound to a display controller (a shallowRef updated by subscribe).

import { createDisplay } from 'tk-core/ui';
import { defineComponent, h, onUnmounted, shallowRef } from 'vue';

export const AttributeLabel = defineComponent({
  props: { model: { type: String, required: true } },
  setup(props) {
    const display = createDisplay(props.model);
    const snapshot = shallowRef(display.getSnapshot());
    const stop = display.subscribe((s) => {
      snapshot.value = s;
    });
    onUnmounted(() => {
      stop();
      display.dispose();
    });
    return () =>
      h(
        'span',
        {
          title: snapshot.value.tooltip,
          style: { background: snapshot.value.background.css, color: snapshot.value.foreground.css },
        },
        snapshot.value.text,
      );
  },
});
