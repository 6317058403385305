({text} = '')
