// The throwaway test method's phone component: five buttons, "saved" only after the ack.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

export default {
  ...phoneParts,
  template: `${HEAD}
${OUTCOME}
      <div class="w-full flex gap-2">
        <q-btn v-for="n in 5" :key="n" unelevated class="grow text-xl py-4" :label="String(n)"
               :color="confirmed === n ? 'primary' : 'grey-3'" :disable="!open" @click="tap(n)" />
      </div>
      <div class="text-lg text-center w-full">{{ confirmed !== null ? v.texts.saved : "" }}</div>
${END}`,
  data() {
    return { confirmed: stored(this.mine, null), seq: 0 };
  },
  methods: {
    reset() {
      this.confirmed = stored(this.mine, null);
    },
    tap(n) {
      this.seq += 1;
      this.$emit("submit", { seq: this.seq, step: this.v.step, round: this.v.round, payload: { mood: n } });
    },
    ack(seq, ok, mine) {
      if (ok) this.confirmed = mine;
    },
  },
};
